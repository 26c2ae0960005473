using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Features.Contacts.Import;
using Touchpoint.Hosting;

namespace Touchpoint.Cli;

/// <summary><c>touchpoint import contacts &lt;file.csv&gt; --workspace &lt;id&gt; [--map col:field,...]</c>.</summary>
static class ImportCommands
{
    const int RejectionsShown = 50;

    public static Command Import(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV file with a header line." };
        var workspace = new Option<Guid>("--workspace") { Description = "Workspace id to import into.", Required = true };
        var map = new Option<string?>("--map") { Description = "Column overrides, e.g. Mobile:phone,Cust No:externalId." };
        var contacts = new Command("contacts", "Upsert contacts from CSV (by external id, else insert).") { TreatUnmatchedTokensAsErrors = false };
        contacts.Arguments.Add(file);
        contacts.Options.Add(workspace);
        contacts.Options.Add(map);
        contacts.SetAction(async (r, ct) =>
        {
            var path = r.GetValue(file)!;
            if (!path.Exists) throw new ConfigurationException($"file '{path.FullName}' does not exist.");
            var settings = DatabaseSettings.From(CliConfiguration.Build(r.UnmatchedTokens));
            var scope = new WorkspaceScope();
            scope.Enter(r.GetValue(workspace));
            await using var db = TouchpointDbOptions.Create(settings.Provider, settings.ConnectionString, scope);
            if (!await db.Workspaces.AnyAsync(w => w.Id == r.GetValue(workspace), ct))
                throw new ConfigurationException($"workspace {r.GetValue(workspace)} does not exist.");

            using var csv = new StreamReader(path.FullName, detectEncodingFromByteOrderMarks: true);
            var started = TimeProvider.System.GetTimestamp();
            var (result, errors) = await new ContactImporter(db, TimeProvider.System).ImportAsync(r.GetValue(workspace), csv, r.GetValue(map),
                p => stdout.WriteLine($"{p.Rows,9:N0} rows: {p.Created:N0} created, {p.Updated:N0} updated, {p.Rejected:N0} rejected"), ct);
            if (result is null)
                throw new ConfigurationException(string.Join(" ", errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}")));
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            stdout.WriteLine($"Done in {elapsed.TotalSeconds:F1} s: {result.Created:N0} created, {result.Updated:N0} updated, {result.Rejected.Count:N0} rejected.");
            foreach (var rejection in result.Rejected.Take(RejectionsShown)) stdout.WriteLine($"  line {rejection.Line}: {rejection.Reason}");
            if (result.Rejected.Count > RejectionsShown) stdout.WriteLine($"  ... and {result.Rejected.Count - RejectionsShown:N0} more rejected rows.");
            return 0;
        });
        return new Command("import", "Bulk imports.") { contacts };
    }
}
