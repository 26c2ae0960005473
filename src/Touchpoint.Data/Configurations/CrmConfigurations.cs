using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Data.Entities;

namespace Touchpoint.Data.Configurations;

sealed class BoardConfiguration : IEntityTypeConfiguration<Board>
{
    public void Configure(EntityTypeBuilder<Board> b) => b.IsWorkspaceRow("boards");
}

sealed class BoardColumnConfiguration : IEntityTypeConfiguration<BoardColumn>
{
    public void Configure(EntityTypeBuilder<BoardColumn> b)
    {
        b.IsWorkspaceRow("board_columns").BelongsTo<BoardColumn, Board>("BoardId");
        b.HasIndex(c => new { c.WorkspaceId, c.BoardId, c.Position });
    }
}

sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.IsWorkspaceRow("conversations")
            .BelongsTo<Conversation, Board>("BoardId")
            .BelongsTo<Conversation, BoardColumn>("ColumnId", DeleteBehavior.Restrict)
            .BelongsTo<Conversation, Contact>("ContactId");
        b.HasIndex(c => new { c.WorkspaceId, c.BoardId, c.ColumnId });
        // One conversation per contact and channel: concurrent inbound messages cannot open two cards.
        b.HasIndex(c => new { c.WorkspaceId, c.ContactId, c.Channel }).IsUnique();
        b.Property(c => c.EscalationReason).HasMaxLength(500);
        // Every append raises it: a writer that appends (or changes the card) from an older read fails instead of
        // reusing a sequence number or writing over what came in meanwhile.
        b.Property(c => c.MessageCount).IsConcurrencyToken();
    }
}

sealed class ConversationMessageConfiguration : IEntityTypeConfiguration<ConversationMessage>
{
    public void Configure(EntityTypeBuilder<ConversationMessage> b)
    {
        b.IsWorkspaceRow("conversation_messages").BelongsTo<ConversationMessage, Conversation>("ConversationId");
        b.HasIndex(m => new { m.WorkspaceId, m.ConversationId, m.Sequence }).IsUnique();
    }
}

sealed class ConversationMemoryVersionConfiguration : IEntityTypeConfiguration<ConversationMemoryVersion>
{
    public void Configure(EntityTypeBuilder<ConversationMemoryVersion> b)
    {
        b.IsWorkspaceRow("conversation_memory_versions").BelongsTo<ConversationMemoryVersion, Conversation>("ConversationId");
        b.HasIndex(m => new { m.WorkspaceId, m.ConversationId, m.Version }).IsUnique();
    }
}

sealed class TagEventConfiguration : IEntityTypeConfiguration<TagEvent>
{
    public void Configure(EntityTypeBuilder<TagEvent> b)
    {
        b.IsWorkspaceRow("tag_events").BelongsTo<TagEvent, Contact>("ContactId");
        b.HasIndex(t => new { t.WorkspaceId, t.ContactId, t.CreatedAt });
    }
}

sealed class AutomationRuleConfiguration : IEntityTypeConfiguration<AutomationRule>
{
    public void Configure(EntityTypeBuilder<AutomationRule> b)
    {
        b.IsWorkspaceRow("automation_rules");
        b.HasIndex(r => new { r.WorkspaceId, r.Enabled });
    }
}

sealed class AutomationRunConfiguration : IEntityTypeConfiguration<AutomationRun>
{
    public void Configure(EntityTypeBuilder<AutomationRun> b)
    {
        b.IsWorkspaceRow("automation_runs").BelongsTo<AutomationRun, AutomationRule>("RuleId");
        b.HasIndex(r => new { r.WorkspaceId, r.RuleId, r.OccurrenceKey }).IsUnique();
    }
}

sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> b)
    {
        b.IsWorkspaceRow("agents");
        b.Property(a => a.ApiKey).HasMaxLength(500);
    }
}

sealed class ConversationThreadConfiguration : IEntityTypeConfiguration<ConversationThread>
{
    public void Configure(EntityTypeBuilder<ConversationThread> b)
    {
        b.IsWorkspaceRow("conversation_threads").BelongsTo<ConversationThread, Contact>("ContactId");
        b.HasIndex(t => new { t.WorkspaceId, t.ContactId });
    }
}

sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> b)
    {
        b.IsWorkspaceRow("chat_messages").BelongsTo<ChatMessage, ConversationThread>("ThreadId");
        b.HasIndex(m => new { m.WorkspaceId, m.ThreadId, m.CreatedAt });
    }
}
