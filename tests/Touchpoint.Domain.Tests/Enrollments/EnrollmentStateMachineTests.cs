using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Vocabulary;
using C = Touchpoint.Domain.Enrollments.EnrollmentCause;
using S = Touchpoint.Domain.Vocabulary.EnrollmentState;

namespace Touchpoint.Domain.Tests.Enrollments;

public sealed class EnrollmentStateMachineTests
{
    static readonly S[] States = Enum.GetValues<S>();
    static readonly C[] Causes = Enum.GetValues<C>();

    // Every (state, cause, target) the API can express; target only for OperatorSet.
    static IEnumerable<(S From, C Cause, S? Target)> AllInputs() =>
        from s in States
        from c in Causes
        from t in c == C.OperatorSet ? States.Select(x => (S?)x) : [null]
        select (s, c, t);

    static bool InTable((S From, C Cause, S? Target) i) => EnrollmentTransitionTable.Rules.Any(r =>
        r.From == i.From && r.Cause == i.Cause && (i.Cause != C.OperatorSet || r.To == i.Target));

    public static TheoryData<S, C, S?> IllegalInputs() => [.. AllInputs().Where(i => !InTable(i))];

    public static TheoryData<S, C, S?> LegalInputs() => [.. AllInputs().Where(InTable)];

    [Theory, MemberData(nameof(IllegalInputs))]
    public void Every_pair_missing_from_the_table_is_refused_with_a_reason_and_leaves_the_state_alone(S from, C cause, S? target)
    {
        var t = EnrollmentStateMachine.Apply(from, cause, target);
        Assert.False(t.Allowed);
        Assert.Equal(from, t.To);
        Assert.Equal(0, t.ScoreDelta);
        Assert.False(string.IsNullOrWhiteSpace(t.RefusalReason));
    }

    [Theory, MemberData(nameof(LegalInputs))]
    public void Every_row_of_the_table_is_accepted_with_its_target_and_score(S from, C cause, S? target)
    {
        var row = EnrollmentTransitionTable.Rules.Single(r => r.From == from && r.Cause == cause && (target is null || r.To == target));
        var t = EnrollmentStateMachine.Apply(from, cause, target);
        Assert.True(t.Allowed, t.RefusalReason);
        Assert.Equal(row.To, t.To);
        Assert.Equal(row.ScoreDelta, t.ScoreDelta);
        Assert.Null(t.RefusalReason);
    }

    [Fact]
    public void The_table_allows_exactly_59_cause_transitions_and_31_operator_moves_with_no_duplicate_keys()
    {
        Assert.Equal(59, EnrollmentTransitionTable.Rules.Count(r => r.Cause != C.OperatorSet));
        Assert.Equal(31, EnrollmentTransitionTable.Rules.Count(r => r.Cause == C.OperatorSet));
        var keys = EnrollmentTransitionTable.Rules.Select(r => (r.From, r.Cause, r.Cause == C.OperatorSet ? r.To : (S?)null));
        Assert.Equal(EnrollmentTransitionTable.Rules.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Nothing_leaves_or_happens_in_do_not_contact()
    {
        foreach (var (from, cause, target) in AllInputs().Where(i => i.From == S.DoNotContact))
        {
            var t = EnrollmentStateMachine.Apply(from, cause, target);
            Assert.False(t.Allowed);
            Assert.Contains("final", t.RefusalReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Terminal_states_accept_no_touches()
    {
        foreach (var s in States.Where(EnrollmentStates.IsTerminal))
        {
            Assert.False(EnrollmentStateMachine.Apply(s, C.TouchQueued).Allowed);
            Assert.False(EnrollmentStateMachine.Apply(s, C.TouchSent).Allowed);
            Assert.False(EnrollmentStateMachine.CanSendTouch(s));
        }
        Assert.Equal([S.Booked, S.NotInterested, S.Stopped, S.Unreachable, S.DoNotContact], States.Where(EnrollmentStates.IsTerminal));
    }

    [Fact]
    public void Only_a_complaint_or_an_operator_puts_a_contact_on_do_not_contact()
    {
        var causes = EnrollmentTransitionTable.Rules.Where(r => r.To == S.DoNotContact).Select(r => r.Cause).Distinct().Order();
        Assert.Equal([C.Complaint, C.OperatorSet], causes);
    }

    [Fact]
    public void Operators_never_set_system_driven_states()
    {
        var targets = EnrollmentTransitionTable.Rules.Where(r => r.Cause == C.OperatorSet).Select(r => r.To).ToHashSet();
        Assert.DoesNotContain(S.New, targets);
        Assert.DoesNotContain(S.Attempting, targets);
        Assert.DoesNotContain(S.Unreachable, targets);
    }

    [Theory]
    [InlineData(S.New, C.TouchQueued, S.Attempting, 0, false)]
    [InlineData(S.Attempting, C.ReplyReceived, S.Engaged, 10, false)]
    [InlineData(S.Engaged, C.Qualified, S.Qualified, 20, false)]
    [InlineData(S.Qualified, C.MeetingBooked, S.Booked, 50, true)]
    [InlineData(S.Engaged, C.NotInterested, S.NotInterested, -20, true)]
    [InlineData(S.Attempting, C.OptOut, S.Stopped, -100, true)]
    [InlineData(S.Booked, C.OptOut, S.Stopped, -100, true)]
    [InlineData(S.Engaged, C.Complaint, S.DoNotContact, -100, true)]
    [InlineData(S.Attempting, C.AllChannelsExhausted, S.Unreachable, -5, true)]
    [InlineData(S.Engaged, C.AllChannelsExhausted, S.Stopped, 0, true)]
    [InlineData(S.Attempting, C.StopOnEvent, S.Stopped, 0, true)]
    [InlineData(S.Unreachable, C.ReplyReceived, S.Engaged, 10, false)]
    [InlineData(S.Stopped, C.Resumed, S.Attempting, 0, false)]
    [InlineData(S.Stopped, C.ReplyReceived, S.Stopped, 10, true)]
    public void Causes_move_enrollments_as_documented(S from, C cause, S to, int score, bool terminal)
    {
        var t = EnrollmentStateMachine.Apply(from, cause);
        Assert.True(t.Allowed, t.RefusalReason);
        Assert.Equal((to, score, terminal), (t.To, t.ScoreDelta, t.IsTerminal));
    }

    [Fact]
    public void Operators_may_book_an_engaged_contact_but_not_a_stopped_one()
    {
        var booked = EnrollmentStateMachine.OperatorSet(S.Engaged, S.Booked);
        Assert.True(booked.Allowed);
        Assert.Equal(S.Booked, booked.To);
        Assert.Equal(EnrollmentTransitionTable.BookedScore, booked.ScoreDelta);

        var refused = EnrollmentStateMachine.OperatorSet(S.Stopped, S.Booked);
        Assert.False(refused.Allowed);
        Assert.Equal("operator_set to BOOKED is not allowed from STOPPED", refused.RefusalReason);
    }

    [Fact]
    public void Operator_set_needs_a_target_and_other_causes_refuse_one()
    {
        Assert.Equal("operator_set requires a target state", EnrollmentStateMachine.Apply(S.Engaged, C.OperatorSet).RefusalReason);
        Assert.False(EnrollmentStateMachine.Apply(S.Engaged, C.MeetingBooked, S.Booked).Allowed);
    }

    [Fact]
    public void Undefined_states_and_causes_are_programming_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EnrollmentStateMachine.Apply((S)99, C.TouchSent));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnrollmentStateMachine.Apply(S.New, (C)99));
    }

    [Fact]
    public void Causes_have_snake_case_wire_names()
    {
        Assert.Equal("all_channels_exhausted", WireName.Of(C.AllChannelsExhausted));
        Assert.Equal("operator_set", WireName.Of(C.OperatorSet));
    }
}
