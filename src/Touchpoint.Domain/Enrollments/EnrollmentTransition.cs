using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Enrollments;

/// <summary>One row of the transition table: <see cref="From"/> + <see cref="Cause"/> → <see cref="To"/>, with the memory score delta.</summary>
public sealed record EnrollmentRule(EnrollmentState From, EnrollmentCause Cause, EnrollmentState To, int ScoreDelta);

/// <summary>
/// The result of applying a cause. When <see cref="Allowed"/> is false the state is unchanged
/// (<see cref="To"/> == <see cref="From"/>) and <see cref="RefusalReason"/> says why.
/// </summary>
public sealed record EnrollmentTransition(
    EnrollmentState From,
    EnrollmentCause Cause,
    EnrollmentState To,
    bool Allowed,
    int ScoreDelta,
    string? RefusalReason)
{
    /// <summary>No more touches may be sent in the resulting state.</summary>
    public bool IsTerminal => EnrollmentStates.IsTerminal(To);

    public bool Changed => Allowed && To != From;

    internal static EnrollmentTransition Refuse(EnrollmentState from, EnrollmentCause cause, string reason) =>
        new(from, cause, from, false, 0, reason);

    internal static EnrollmentTransition Accept(EnrollmentRule rule) =>
        new(rule.From, rule.Cause, rule.To, true, rule.ScoreDelta, null);
}

public static class EnrollmentStates
{
    /// <summary>
    /// Terminal = the sequence sends nothing more. ENGAGED and QUALIFIED are not terminal: follow-ups continue
    /// until a step's stopOnEvents or a booking ends them.
    /// </summary>
    public static bool IsTerminal(EnrollmentState state) => state is EnrollmentState.Booked or EnrollmentState.NotInterested
        or EnrollmentState.Stopped or EnrollmentState.Unreachable or EnrollmentState.DoNotContact;
}
