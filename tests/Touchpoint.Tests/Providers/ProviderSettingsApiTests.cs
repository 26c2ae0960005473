using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Providers;

public sealed class ProviderSettingsApiTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    const string Token = "tw-auth-token-never-shown";

    static object TwilioSettings(string? baseUrl = "https://twilio.test", string? authToken = Token) => new Dictionary<string, object?>
    {
        ["accountSid"] = "AC0123456789abcdef0123456789abcdef", ["from"] = "+14155550100", ["baseUrl"] = baseUrl, ["authToken"] = authToken,
    }.Where(kv => kv.Value is not null).ToDictionary();

    static Task<HttpResponseMessage> PutAsync(WorkspaceClient ws, string channel, string provider, object settings) =>
        ws.Http.PutAsJsonAsync($"/api/v1/providers/{channel}", new { provider, settings }, Ct);

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Secrets_are_stored_encrypted_never_returned_and_decrypted_for_sending(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();

        var put = await PutAsync(ws, "sms", "twilio", TwilioSettings());
        var putText = await put.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.DoesNotContain(Token, putText, StringComparison.Ordinal);
        var view = JsonDocument.Parse(putText).RootElement;
        Assert.Equal("twilio", view.GetProperty("provider").GetString());
        Assert.Equal(["authToken"], view.GetProperty("secretsConfigured").EnumerateArray().Select(e => e.GetString()));
        Assert.False(view.GetProperty("settings").TryGetProperty("authToken", out _));
        Assert.Equal("https://twilio.test", view.GetProperty("settings").GetProperty("baseUrl").GetString());

        var one = await ws.Http.GetStringAsync("/api/v1/providers/sms", Ct);
        var all = await ws.Http.GetStringAsync("/api/v1/providers", Ct);
        Assert.DoesNotContain(Token, one + all, StringComparison.Ordinal);
        var items = JsonDocument.Parse(all).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(9, items.Count);
        var sms = items.Single(i => i.GetProperty("channel").GetString() == "sms");
        Assert.True(sms.GetProperty("configured").GetBoolean());
        var email = items.Single(i => i.GetProperty("channel").GetString() == "email");
        Assert.Equal(("sandbox", false), (email.GetProperty("provider").GetString(), email.GetProperty("configured").GetBoolean()));

        var row = await app.DbAsync(db => db.ProviderSettings.AsNoTracking().SingleAsync(p => p.WorkspaceId == ws.Id, Ct));
        Assert.DoesNotContain(Token, row.SettingsJson, StringComparison.Ordinal);
        Assert.NotNull(row.ProtectedSecrets);
        Assert.DoesNotContain(Token, row.ProtectedSecrets, StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<ProviderAccounts>().ForAsync(ws.Id, Channel.Sms, null, Ct);
        Assert.Equal(("twilio", Token, "+14155550100"), (account.Provider, account.Secret("authToken"), account.Setting("from")));
        Assert.Null(account.Setting("authToken"));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Another_process_on_the_same_database_decrypts_with_the_shared_key_ring(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await (await PutAsync(ws, "sms", "twilio", TwilioSettings())).ReadJsonAsync(HttpStatusCode.OK);

        // A second container (as a separate worker process has): same database, nothing else shared.
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Error));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<WorkspaceScope>();
        services.AddDbContext<TouchpointDb>(o => TouchpointDbOptions.Configure(o, app.Provider, app.ConnectionString));
        services.AddMessageProviders();
        await using var other = services.BuildServiceProvider();
        await using var scope = other.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<ProviderAccounts>().ForAsync(ws.Id, Channel.Sms, null, Ct);
        Assert.Equal(Token, account.Secret("authToken"));
        Assert.Equal(1, await app.DbAsync(db => db.DataProtectionKeys.CountAsync(Ct)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Invalid_settings_are_400s_that_name_the_field(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();

        async Task Fails(string channel, string provider, object settings, params string[] fields)
        {
            var problem = await ProblemAssert.IsProblemAsync(await PutAsync(ws, channel, provider, settings), HttpStatusCode.BadRequest);
            foreach (var field in fields) ProblemAssert.NamesField(problem, field);
        }
        await Fails("sms", "carrier-pigeon", new { }, "provider");
        await Fails("sms", "meta", new { phoneNumberId = "1", accessToken = "t" }, "provider");
        await Fails("email", "twilio", TwilioSettings(), "provider");
        await Fails("telegraph", "sandbox", new { }, "channel");
        await Fails("sms", "twilio", new { from = "+14155550100" }, "settings.accountSid", "settings.authToken");
        await Fails("sms", "twilio", TwilioSettings(baseUrl: "ftp://twilio.test"), "settings.baseUrl");
        await Fails("sms", "twilio", TwilioSettings(baseUrl: "/relative"), "settings.baseUrl");
        await Fails("call", "twilio", new { accountSid = "AC1", authToken = "t", messagingServiceSid = "MG1" }, "settings.from");
        await Fails("whatsapp", "meta", new { accessToken = "t" }, "settings.phoneNumberId");
        await Fails("email", "sendgrid", new { from = "not-an-address", apiKey = "SG.x" }, "settings.from");
        await Fails("email", "smtp", new { host = "mail.test", from = "a@b.test", port = 70000, username = "u" }, "settings.port", "settings.password");
        await Fails("rvm", "http", new { baseUrl = "https://gw.test", webhookSecret = "plain" }, "settings.webhookSecret");
        await Fails("rvm", "http", new { webhookSecret = WebhookTestKit.HttpSecret }, "settings.baseUrl");
        await Fails("sms", "twilio", new { accountSid = "AC1", from = "+1", authToken = 42 }, "settings.authToken");
        Assert.Equal(0, await app.DbAsync(db => db.ProviderSettings.CountAsync(p => p.WorkspaceId == ws.Id, Ct)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_put_replaces_the_channel_and_keeps_omitted_secrets_only_for_the_same_provider(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await (await PutAsync(ws, "sms", "twilio", TwilioSettings())).ReadJsonAsync(HttpStatusCode.OK);

        // Same provider, no token: the stored one stays.
        var moved = await (await PutAsync(ws, "sms", "twilio", TwilioSettings(baseUrl: "https://eu.twilio.test", authToken: null)))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["authToken"], moved.GetProperty("secretsConfigured").EnumerateArray().Select(e => e.GetString()));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var account = await scope.ServiceProvider.GetRequiredService<ProviderAccounts>().ForAsync(ws.Id, Channel.Sms, null, Ct);
            Assert.Equal(("https://eu.twilio.test", Token), (account.Setting("baseUrl"), account.Secret("authToken")));
        }

        // Another provider starts from nothing; back to twilio without a token is then a 400.
        var sandbox = await (await PutAsync(ws, "sms", "sandbox", new { })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, sandbox.GetProperty("secretsConfigured").GetArrayLength());
        var problem = await ProblemAssert.IsProblemAsync(
            await PutAsync(ws, "sms", "twilio", TwilioSettings(authToken: null)), HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "settings.authToken");
        Assert.Equal(1, await app.DbAsync(db => db.ProviderSettings.CountAsync(p => p.WorkspaceId == ws.Id, Ct)));
        var other = await app.NewWorkspaceAsync();
        Assert.False((await other.GetJsonAsync("/api/v1/providers/sms")).GetProperty("configured").GetBoolean());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Webhook_signatures_verify_against_secrets_stored_through_the_api(Store store)
    {
        await using var app = await WebhookTestKit.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var form = WebhookTestKit.TwilioInbound("SM" + Guid.NewGuid().ToString("N"), "+14155550123", "hello");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.SendAsync(WebhookTestKit.TwilioPost(ws.Id, form), Ct)).StatusCode);
        await (await PutAsync(ws, "sms", "twilio", TwilioSettings(authToken: WebhookTestKit.TwilioToken))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(WebhookTestKit.TwilioPost(ws.Id, form), Ct)).StatusCode);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_configured_provider_sends_with_its_decrypted_key_to_its_base_url(Store store)
    {
        await using var fake = await FakeProviderServer.StartAsync(_ =>
            new FakeResponse(202, null, new Dictionary<string, string> { ["X-Message-Id"] = "sg-1" }));
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await (await PutAsync(ws, "email", "sendgrid", new { from = "news@acme.example", baseUrl = fake.Url, apiKey = "SG.secret" }))
            .ReadJsonAsync(HttpStatusCode.OK);

        await using var scope = app.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<ProviderAccounts>().ForAsync(ws.Id, Channel.Email, null, Ct);
        var provider = scope.ServiceProvider.GetRequiredKeyedService<IMessageProvider>(account.Provider);
        var result = await provider.SendAsync(ProviderAdapterHost.Request(Channel.Email, "ana@example.com", "Hi", subject: "S"), account, Ct);

        Assert.Equal("sg-1", Assert.IsType<ProviderSendResult.Accepted>(result).ProviderMessageId);
        Assert.Equal("Bearer SG.secret", fake.Single().Header("Authorization"));
    }
}
