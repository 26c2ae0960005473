using System.Collections.Frozen;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Enrollments;

/// <summary>Applies causes to enrollment states strictly through <see cref="EnrollmentTransitionTable"/>.</summary>
public static class EnrollmentStateMachine
{
    // OperatorSet rows are keyed by their target; every other cause has exactly one row per state.
    static readonly FrozenDictionary<(EnrollmentState, EnrollmentCause, EnrollmentState?), EnrollmentRule> Index =
        EnrollmentTransitionTable.Rules.ToFrozenDictionary(
            r => (r.From, r.Cause, r.Cause == EnrollmentCause.OperatorSet ? r.To : (EnrollmentState?)null));

    /// <summary>
    /// Applies <paramref name="cause"/> in <paramref name="from"/>. <paramref name="target"/> is required for
    /// <see cref="EnrollmentCause.OperatorSet"/> and must be null otherwise.
    /// </summary>
    public static EnrollmentTransition Apply(EnrollmentState from, EnrollmentCause cause, EnrollmentState? target = null)
    {
        if (!Enum.IsDefined(from)) throw new ArgumentOutOfRangeException(nameof(from), from, "Unknown enrollment state.");
        if (!Enum.IsDefined(cause)) throw new ArgumentOutOfRangeException(nameof(cause), cause, "Unknown enrollment cause.");
        if (cause == EnrollmentCause.OperatorSet && target is null)
            return EnrollmentTransition.Refuse(from, cause, "operator_set requires a target state");
        if (cause != EnrollmentCause.OperatorSet && target is not null)
            return EnrollmentTransition.Refuse(from, cause, $"{WireName.Of(cause)} does not take a target state");

        return Index.TryGetValue((from, cause, target), out var rule)
            ? EnrollmentTransition.Accept(rule)
            : EnrollmentTransition.Refuse(from, cause, RefusalReason(from, cause, target));
    }

    /// <summary>Operator shortcut: <c>Apply(from, OperatorSet, target)</c>.</summary>
    public static EnrollmentTransition OperatorSet(EnrollmentState from, EnrollmentState target) =>
        Apply(from, EnrollmentCause.OperatorSet, target);

    public static bool CanSendTouch(EnrollmentState state) => Apply(state, EnrollmentCause.TouchQueued).Allowed;

    static string RefusalReason(EnrollmentState from, EnrollmentCause cause, EnrollmentState? target)
    {
        var what = target is { } t ? $"{WireName.Of(cause)} to {WireName.Of(t)}" : WireName.Of(cause);
        if (from == EnrollmentState.DoNotContact) return $"DO_NOT_CONTACT is final: {what} refused";
        if (cause is EnrollmentCause.TouchQueued or EnrollmentCause.TouchSent && EnrollmentStates.IsTerminal(from))
            return $"{WireName.Of(from)} is terminal: no more touches";
        if (target == from) return $"already {WireName.Of(from)}";
        return $"{what} is not allowed from {WireName.Of(from)}";
    }
}
