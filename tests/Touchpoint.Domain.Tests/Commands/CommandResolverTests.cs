using Touchpoint.Domain.Commands;

namespace Touchpoint.Domain.Tests.Commands;

public sealed class CommandResolverTests
{
    // text → intent, lead, campaign ("" = argument absent)
    [Theory]
    [InlineData("system status", "system.status", "", "")]
    [InlineData("System Status?", "system.status", "", "")]
    [InlineData("show me the system health", "system.status", "", "")]
    [InlineData("status", "system.status", "", "")]
    [InlineData("how is the system doing", "system.status", "", "")]
    [InlineData("estado del sistema", "system.status", "", "")]
    [InlineData("¿Cómo está el sistema?", "system.status", "", "")]
    [InlineData("muéstrame el estado", "system.status", "", "")]
    [InlineData("inspect lead +14155550100", "lead.inspect", "+14155550100", "")]
    [InlineData("show contact ext-42", "lead.inspect", "ext-42", "")]
    [InlineData("inspect lead (415) 555-0100", "lead.inspect", "(415) 555-0100", "")]
    [InlineData("enroll +1 415 555 0100 in Spring Promo", "lead.enroll", "+1 415 555 0100", "Spring Promo")]
    [InlineData("Look up ana@example.com", "lead.inspect", "ana@example.com", "")]
    [InlineData("who is ext-42?", "lead.inspect", "ext-42", "")]
    [InlineData("ver contacto EXT-42", "lead.inspect", "EXT-42", "")]
    [InlineData("muéstrame el lead +5215512345678", "lead.inspect", "+5215512345678", "")]
    [InlineData("¿quién es ana@example.com?", "lead.inspect", "ana@example.com", "")]
    [InlineData("enroll ext-42 in Spring Promo", "lead.enroll", "ext-42", "Spring Promo")]
    [InlineData("please add contact +14155550100 to the Spring Promo campaign", "lead.enroll", "+14155550100", "Spring Promo")]
    [InlineData("enroll ext-42 into campaign \"Spring Promo\"", "lead.enroll", "ext-42", "Spring Promo")]
    [InlineData("inscribe ext-42 en la campaña Promoción Primavera", "lead.enroll", "ext-42", "Promoción Primavera")]
    [InlineData("agrega al contacto ext-42 a Spring Promo", "lead.enroll", "ext-42", "Spring Promo")]
    [InlineData("pause campaign Spring Promo", "campaign.pause", "", "Spring Promo")]
    [InlineData("Pause the Spring Promo campaign", "campaign.pause", "", "Spring Promo")]
    [InlineData("stop campaign Spring Promo", "campaign.pause", "", "Spring Promo")]
    [InlineData("pausa la campaña Spring Promo", "campaign.pause", "", "Spring Promo")]
    [InlineData("detener campaña Spring Promo", "campaign.pause", "", "Spring Promo")]
    [InlineData("resume campaign Spring Promo", "campaign.resume", "", "Spring Promo")]
    [InlineData("reanuda la campaña Spring Promo", "campaign.resume", "", "Spring Promo")]
    [InlineData("stats for campaign Spring Promo", "campaign.stats", "", "Spring Promo")]
    [InlineData("show me the metrics of Spring Promo", "campaign.stats", "", "Spring Promo")]
    [InlineData("campaign stats Spring Promo", "campaign.stats", "", "Spring Promo")]
    [InlineData("how is campaign Spring Promo doing", "campaign.stats", "", "Spring Promo")]
    [InlineData("estadísticas de la campaña Spring Promo", "campaign.stats", "", "Spring Promo")]
    [InlineData("¿cómo va la campaña Spring Promo?", "campaign.stats", "", "Spring Promo")]
    public void Phrasings_resolve_to_their_intent_and_arguments(string text, string intent, string lead, string campaign)
    {
        var resolved = CommandResolver.Resolve(text);
        Assert.True(resolved.Understood, resolved.Problem);
        Assert.Equal(intent, resolved.Intent);
        Assert.Equal(lead, resolved.Arguments.GetValueOrDefault(CommandArguments.Lead, ""));
        Assert.Equal(campaign, resolved.Arguments.GetValueOrDefault(CommandArguments.Campaign, ""));
        Assert.InRange(resolved.Confidence, 0.75, 1.0);
    }

    [Theory]
    [InlineData("lead.inspect contactId=0196b0f2-0000-7000-8000-000000000001", "lead.inspect", "0196b0f2-0000-7000-8000-000000000001", "contactId")]
    [InlineData("lead.inspect externalId=ext-42", "lead.inspect", "ext-42", "externalId")]
    [InlineData("LEAD.ENROLL phone=+14155550100 campaign=\"Spring Promo\"", "lead.enroll", "+14155550100", "phone")]
    [InlineData("system.status", "system.status", "", "")]
    public void Structured_commands_are_exact(string text, string intent, string lead, string leadBy)
    {
        var resolved = CommandResolver.Resolve(text);
        Assert.True(resolved.Understood, resolved.Problem);
        Assert.Equal(intent, resolved.Intent);
        Assert.Equal(1.0, resolved.Confidence);
        Assert.Equal(lead, resolved.Arguments.GetValueOrDefault(CommandArguments.Lead, ""));
        Assert.Equal(leadBy, resolved.Arguments.GetValueOrDefault(CommandArguments.LeadBy, ""));
    }

    [Fact]
    public void A_structured_campaign_name_keeps_its_spaces_and_case()
    {
        var resolved = CommandResolver.Resolve("campaign.pause campaign='Spring Promo'");
        Assert.Equal("Spring Promo", resolved.Arguments[CommandArguments.Campaign]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("make me a sandwich")]
    [InlineData("delete everything")]
    [InlineData("enroll")]
    [InlineData("haz un café")]
    public void Unknown_text_is_not_understood_with_zero_confidence(string text)
    {
        var resolved = CommandResolver.Resolve(text);
        Assert.False(resolved.Understood);
        Assert.Null(resolved.Intent);
        Assert.Equal(0, resolved.Confidence);
        Assert.NotNull(resolved.Problem);
    }

    [Theory]
    [InlineData("lead.inspect", "lead.inspect needs lead.")]
    [InlineData("lead.enroll externalId=ext-42", "lead.enroll needs campaign.")]
    [InlineData("lead.explode externalId=ext-42", "'lead.explode' is not an intent this workspace understands.")]
    [InlineData("lead.inspect colour=blue", "Unknown argument 'colour'.")]
    [InlineData("lead.inspect ext-42", "Could not read 'ext-42'; write arguments as key=value.")]
    public void Structured_commands_name_what_is_wrong(string text, string problem)
    {
        var resolved = CommandResolver.Resolve(text);
        Assert.False(resolved.Understood);
        Assert.Equal(problem, resolved.Problem);
    }

    [Fact]
    public void Overlong_text_is_refused()
    {
        var resolved = CommandResolver.Resolve("show contact " + new string('x', CommandResolver.MaxLength));
        Assert.False(resolved.Understood);
    }

    [Fact]
    public void Mutating_intents_need_confirmation_and_reads_do_not()
    {
        var confirm = CommandCatalog.All.Where(s => s.NeedsConfirmation).Select(s => s.Intent).Order().ToList();
        Assert.Equal(["campaign.pause", "campaign.resume", "lead.enroll"], confirm);
    }

    [Fact]
    public void Every_catalog_example_resolves_to_its_own_intent()
    {
        foreach (var spec in CommandCatalog.All)
            foreach (var example in spec.Examples.Where(e => !e.Contains('<', StringComparison.Ordinal)))
                Assert.Equal(spec.Intent, CommandResolver.Resolve(example).Intent);
    }

    [Fact]
    public void Folding_keeps_positions_so_arguments_are_cut_from_the_original()
    {
        Assert.Equal("campana promocion", CommandText.Fold("Campaña Promoción"));
        Assert.Equal("Campaña Promoción".Length, CommandText.Fold("Campaña Promoción").Length);
    }
}
