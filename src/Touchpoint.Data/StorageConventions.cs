using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Data;

/// <summary>
/// How values are stored, set once for the whole model: enums as their wire names, snake_case names,
/// JSON as jsonb on PostgreSQL, and instants as UTC ticks on SQLite (which cannot compare DateTimeOffset text).
/// </summary>
static class StorageConventions
{
    public static void Apply(ModelConfigurationBuilder c, bool sqlite)
    {
        Enum<Channel>(c); Enum<ConsentStatus>(c); Enum<SuppressionReason>(c); Enum<BudgetTier>(c);
        Enum<CampaignStatus>(c); Enum<EnrollmentState>(c); Enum<LeadStage>(c); Enum<FollowUpPreset>(c);
        Enum<StrategyStatus>(c); Enum<ColumnMode>(c); Enum<MessageStatus>(c); Enum<JobStatus>(c);
        Enum<Direction>(c); Enum<WebhookOutcome>(c); Enum<ConversationStatus>(c); Enum<AutomationTrigger>(c);
        Enum<AutomationAction>(c); Enum<TagSource>(c); Enum<ReviewStatus>(c); Enum<SenderVerification>(c);
        if (sqlite)
        {
            c.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            c.Properties<decimal>().HaveConversion<double>();
        }
    }

    static void Enum<T>(ModelConfigurationBuilder c) where T : struct, Enum =>
        c.Properties<T>().HaveConversion<WireNameConverter<T>>().HaveMaxLength(32);

    public static void ApplyNames(ModelBuilder model, bool sqlite)
    {
        foreach (var entity in model.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
                if (!sqlite && property.Name.EndsWith("Json", StringComparison.Ordinal))
                    property.SetColumnType("jsonb");
            }
            entity.FindPrimaryKey()?.SetName($"pk_{table}");
            foreach (var fk in entity.GetForeignKeys())
                fk.SetConstraintName(Limit($"fk_{table}_{fk.PrincipalEntityType.GetTableName()}_{SnakeCase(fk.Properties[^1].Name)}"));
            foreach (var index in entity.GetIndexes())
            {
                if (index.GetDatabaseName() is { } explicitName && explicitName.StartsWith("ux_", StringComparison.Ordinal)) continue;
                var columns = string.Join("_", index.Properties.Select(p => SnakeCase(p.Name)));
                index.SetDatabaseName(Limit($"{(index.IsUnique ? "ux" : "ix")}_{table}_{columns}"));
            }
        }
    }

    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var ch = name[i];
            if (char.IsUpper(ch) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }

    // PostgreSQL truncates identifiers at 63 bytes; a truncated name would no longer match the model.
    static string Limit(string name) => name.Length <= 63 ? name : name[..63];
}

sealed class WireNameConverter<T>() : ValueConverter<T, string>(v => WireName.Of(v), v => WireName.Parse<T>(v))
    where T : struct, Enum;

sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
