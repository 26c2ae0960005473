using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;

namespace Touchpoint.Features.Crm.Conversations;

/// <summary>
/// Smart memory (seed 002): after new messages the offline summarizer folds them into the summary and facts;
/// the conversation row holds the latest, and every version is also kept as a <see cref="ConversationMemoryVersion"/>.
/// </summary>
public sealed class ConversationMemory(TouchpointDb db, TimeProvider clock)
{
    /// <summary>Adds a new version when messages arrived since the last one; false when nothing was new. The caller saves.</summary>
    public async Task<bool> UpdateAsync(Conversation c, CancellationToken ct)
    {
        var coveredUpTo = -1;
        var latest = await db.ConversationMemoryVersions.IgnoreQueryFilters().AsNoTracking()
            .Where(v => v.WorkspaceId == c.WorkspaceId && v.ConversationId == c.Id).OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
        if (latest?.SourceMessageId is { } sourceId)
            coveredUpTo = await db.ConversationMessages.IgnoreQueryFilters()
                .Where(m => m.WorkspaceId == c.WorkspaceId && m.Id == sourceId).Select(m => m.Sequence).FirstOrDefaultAsync(ct);
        var fresh = await db.ConversationMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == c.WorkspaceId && m.ConversationId == c.Id && m.Sequence > coveredUpTo && m.MessageType != "event")
            .OrderBy(m => m.Sequence).ToListAsync(ct);
        // Messages added in this unit of work (the inbound being dispatched is already saved; drafts are not memory).
        if (fresh.Count == 0) return false;

        var snapshot = OfflineSummarizer.Update(new MemorySnapshot(c.Summary, ConversationFacts.Parse(c.FactsJson)),
            [.. fresh.Select(m => new MemoryMessage(m.Id, m.Direction == Domain.Vocabulary.Direction.Inbound, m.Content))], c.MessageCount);
        var now = clock.GetUtcNow();
        var version = (latest?.Version ?? 0) + 1;
        c.Summary = snapshot.Summary;
        c.SummaryVersion = version;
        c.FactsJson = ConversationFacts.ToJson(snapshot.Facts);
        c.FactsVersion = version;
        c.LastSummarizedAt = now;
        db.ConversationMemoryVersions.Add(new ConversationMemoryVersion
        {
            WorkspaceId = c.WorkspaceId, ConversationId = c.Id, Version = version, Summary = snapshot.Summary,
            FactsJson = c.FactsJson, SourceMessageId = fresh[^1].Id, CreatedAt = now,
        });
        return true;
    }

    public async Task<List<MemoryVersionView>> HistoryAsync(Guid conversationId, CancellationToken ct) =>
        [.. (await db.ConversationMemoryVersions.AsNoTracking().Where(v => v.ConversationId == conversationId)
                .OrderBy(v => v.Version).ToListAsync(ct))
            .Select(v => new MemoryVersionView(v.Version, v.Summary, ConversationFacts.Parse(v.FactsJson), v.SourceMessageId, v.CreatedAt))];
}
