using NodaTime;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Crm;

public sealed class EffectiveConfigTests
{
    [Fact]
    public void A_set_override_replaces_the_column_value_and_unset_ones_inherit()
    {
        var column = new CrmConfig("agent-a", "gpt-4o", ["tag_contact", "book_meeting"], new AutomationSettings(6, 5),
            new GuardrailSettings(["UPSET_CUSTOMER"], ["medical_claims"], 0.5));
        var overrides = new CrmConfig(Model: "small", Tools: [], Automations: new AutomationSettings(MaxMessagesPerDay: 1),
            Guardrails: new GuardrailSettings(EscalateOnTags: ["LEGAL_THREAT"]));

        var e = EffectiveConfig.Merge(column, overrides);

        Assert.Equal("agent-a", e.AgentId);
        Assert.Equal("small", e.Model);
        Assert.Empty(e.Tools); // an override can narrow the whitelist to nothing
        Assert.Equal(6, e.FollowUpHours);
        Assert.Equal(1, e.MaxMessagesPerDay);
        Assert.Equal(["UPSET_CUSTOMER", "LEGAL_THREAT"], e.EscalateOnTags);
        Assert.Equal(["medical_claims"], e.ProhibitedTopics);
        Assert.Equal(0.5, e.MinConfidence);
        Assert.Equal(ConfigOrigin.Column, e.Origins["agentId"]);
        Assert.Equal(ConfigOrigin.Override, e.Origins["model"]);
        Assert.Equal(ConfigOrigin.Override, e.Origins["tools"]);
        Assert.Equal(ConfigOrigin.Column, e.Origins["automations.followUpHours"]);
        Assert.Equal(ConfigOrigin.ColumnAndOverride, e.Origins["guardrails.escalateOnTags"]);
    }

    [Fact]
    public void Nothing_set_anywhere_gives_the_documented_defaults()
    {
        var e = EffectiveConfig.Merge(new CrmConfig(), new CrmConfig());
        Assert.Equal(CrmTools.OfflineAgentId, e.AgentId);
        Assert.Null(e.MaxMessagesPerDay);
        Assert.Empty(e.Tools);
        Assert.Equal(EffectiveConfig.DefaultMinConfidence, e.MinConfidence);
        Assert.All(e.Origins.Values, o => Assert.Equal(ConfigOrigin.Default, o));
    }

    [Fact]
    public void Config_json_round_trips_in_camel_case_without_nulls()
    {
        var json = new CrmConfig(Tools: ["hand_off"], Automations: new AutomationSettings(MaxMessagesPerDay: 2)).ToJson();
        Assert.Equal("""{"tools":["hand_off"],"automations":{"maxMessagesPerDay":2}}""", json);
        Assert.Equal(2, CrmConfig.Parse(json).Automations!.MaxMessagesPerDay);
    }
}

public sealed class DispatchGatesTests
{
    static readonly EffectiveConfig Strict = EffectiveConfig.Merge(new CrmConfig(
        Automations: new AutomationSettings(MaxMessagesPerDay: 2),
        Guardrails: new GuardrailSettings(["UPSET_CUSTOMER"], ["medical_claims"])), new CrmConfig());

    static GateInput Input(ColumnMode mode = ColumnMode.AiMode, bool claimed = false, bool keyword = false, string? unreachable = null,
        int today = 0, string text = "hello", string[]? tags = null, bool escalated = false) =>
        new(mode, claimed, escalated, keyword, unreachable, today, Strict, text, tags ?? []);

    [Fact]
    public void Every_gate_failing_at_once_stops_at_human_mode_first()
    {
        var r = DispatchGates.Evaluate(Input(ColumnMode.HumanMode, keyword: true, unreachable: "consent_opt_out", today: 9,
            text: "medical advice", tags: ["UPSET_CUSTOMER"]));
        Assert.Equal(DispatchOutcome.Silenced, r.Outcome);
        Assert.Equal([DispatchGates.HumanMode], r.Trace.Select(s => s.Gate));
    }

    [Fact]
    public void Gates_run_in_the_documented_order()
    {
        // Remove one failure at a time: each run stops at the next gate in order.
        Assert.Equal(DispatchOutcome.Silenced, DispatchGates.Evaluate(Input(claimed: true, keyword: true)).Outcome);
        Assert.Equal(DispatchGates.Keyword, DispatchGates.Evaluate(Input(keyword: true, unreachable: "suppressed")).Trace[^1].Gate);
        var blocked = DispatchGates.Evaluate(Input(unreachable: "suppressed", today: 9));
        Assert.Equal((DispatchOutcome.Blocked, DispatchGates.Reachability), (blocked.Outcome, blocked.Trace[^1].Gate));
        var capped = DispatchGates.Evaluate(Input(today: 2, text: "medical question"));
        Assert.Equal((DispatchOutcome.Capped, DispatchGates.MaxMessagesPerDay), (capped.Outcome, capped.Trace[^1].Gate));
        var topic = DispatchGates.Evaluate(Input(today: 1, text: "Is this a Medical treatment?", tags: ["UPSET_CUSTOMER"]));
        Assert.Equal((DispatchOutcome.Escalate, DispatchGates.ProhibitedTopics), (topic.Outcome, topic.Trace[^1].Gate));
        var tag = DispatchGates.Evaluate(Input(tags: ["upset_customer"]));
        Assert.Equal((DispatchOutcome.Escalate, DispatchGates.EscalateOnTags), (tag.Outcome, tag.Trace[^1].Gate));
        Assert.Equal(DispatchGates.Order, DispatchGates.Evaluate(Input()).Trace.Select(s => s.Gate));
    }

    [Theory]
    [InlineData(ColumnMode.AiMode, false, DispatchOutcome.Reply)]
    [InlineData(ColumnMode.Hybrid, false, DispatchOutcome.Draft)]
    [InlineData(ColumnMode.AiMode, true, DispatchOutcome.Draft)]
    public void The_agent_replies_in_AI_mode_and_drafts_in_hybrid_or_after_escalation(ColumnMode mode, bool escalated, DispatchOutcome expected) =>
        Assert.Equal(expected, DispatchGates.Evaluate(Input(mode, escalated: escalated)).Outcome);

    [Fact]
    public void After_the_agent_hand_off_then_tags_then_low_confidence_escalate()
    {
        Assert.StartsWith("agent handed off", EscalationRules.AfterAgent(Strict, 0.1, ["UPSET_CUSTOMER"], "asked for a manager"));
        Assert.Contains("UPSET_CUSTOMER", EscalationRules.AfterAgent(Strict, 0.1, ["UPSET_CUSTOMER"], null));
        Assert.StartsWith("low confidence 0.30", EscalationRules.AfterAgent(Strict, 0.3, [], null));
        Assert.Null(EscalationRules.AfterAgent(Strict, 0.6, ["INTENT_PURCHASE"], null));
    }
}

public sealed class AutomationScheduleTests
{
    static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    [Fact]
    public void An_RRULE_is_read_in_the_contacts_zone_across_the_DST_change()
    {
        // US DST starts 2026-03-08: 09:00 New York is 14:00 UTC before and 13:00 UTC after.
        var from = Instant.FromUtc(2026, 3, 6, 0, 0);
        var to = Instant.FromUtc(2026, 3, 10, 0, 0);
        var occurrences = AutomationSchedule.Occurrences("RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0", NewYork, from, to).ToList();
        Assert.Equal([Instant.FromUtc(2026, 3, 6, 14, 0), Instant.FromUtc(2026, 3, 7, 14, 0), Instant.FromUtc(2026, 3, 8, 13, 0),
            Instant.FromUtc(2026, 3, 9, 13, 0)], occurrences);
    }

    [Fact]
    public void Cron_and_weekly_RRULE_give_the_latest_occurrence_only()
    {
        var now = Instant.FromUtc(2026, 3, 12, 15, 0); // Thursday 11:00 in New York
        Assert.Equal(Instant.FromUtc(2026, 3, 12, 14, 30),
            AutomationSchedule.LatestOccurrence("30 10 * * *", NewYork, now - Duration.FromDays(3), now));
        Assert.Equal(Instant.FromUtc(2026, 3, 11, 13, 0),
            AutomationSchedule.LatestOccurrence("FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=0", NewYork, now - Duration.FromDays(7), now));
        Assert.Null(AutomationSchedule.LatestOccurrence("0 9 * * *", NewYork, now - Duration.FromMinutes(30), now));
    }

    [Theory]
    [InlineData("0 9 * * 1-5", true)]
    [InlineData("RRULE:FREQ=DAILY;BYHOUR=9", true)]
    [InlineData("every morning", false)]
    [InlineData("", false)]
    public void Schedules_are_validated(string schedule, bool valid) => Assert.Equal(valid, AutomationSchedule.Validate(schedule) is null);
}

public sealed class SmartMemoryTests
{
    [Fact]
    public void Facts_keep_their_source_message_and_newer_values_replace_older_ones()
    {
        var m1 = new MemoryMessage(Guid.NewGuid(), true, "Hi, my name is Lucia, email LUCIA@example.com");
        var m2 = new MemoryMessage(Guid.NewGuid(), true, "new address: lucia.r@example.com, free on Friday");
        var v1 = OfflineSummarizer.Update(new MemorySnapshot(null, []), [m1], 1);
        var v2 = OfflineSummarizer.Update(v1, [new MemoryMessage(Guid.NewGuid(), false, "Thanks!"), m2], 3);
        var facts = v2.Facts.ToDictionary(f => f.Key);
        Assert.Equal(("lucia.r@example.com", m2.Id), (facts["email"].Value, facts["email"].SourceMessageId));
        Assert.Equal(("Lucia", m1.Id), (facts["name"].Value, facts["name"].SourceMessageId));
        Assert.Equal("friday", facts["preferred_day"].Value);
        Assert.StartsWith("3 messages so far", v2.Summary);
    }

    [Theory]
    [InlineData("This is the worst, I will call my lawyer", "upset")]
    [InlineData("Can we book a demo on Monday?", "meeting")]
    [InlineData("How much is it?", "pricing")]
    [InlineData("qwerty", "unknown")]
    public void The_offline_agent_reads_intents_deterministically(string text, string intent) =>
        Assert.Equal(intent, OfflineIntents.Answer(text).Intent);
}
