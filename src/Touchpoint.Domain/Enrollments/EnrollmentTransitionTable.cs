using Touchpoint.Domain.Vocabulary;
using C = Touchpoint.Domain.Enrollments.EnrollmentCause;
using S = Touchpoint.Domain.Vocabulary.EnrollmentState;

namespace Touchpoint.Domain.Enrollments;

/// <summary>
/// Every legal enrollment transition, and nothing else. A (state, cause) pair that is not listed is refused.
/// Score deltas feed the contact's memory timeline: reply +10, qualified +20, booked +50, not interested −20,
/// opt-out −100, complaint −100, channels exhausted −5; touches and stops are 0.
/// </summary>
public static class EnrollmentTransitionTable
{
    public const int ReplyScore = 10, QualifiedScore = 20, BookedScore = 50, NotInterestedScore = -20,
        OptOutScore = -100, ComplaintScore = -100, ExhaustedScore = -5;

    static readonly EnrollmentState[] Open = [S.New, S.Attempting, S.Engaged, S.Qualified];

    // Everything except DO_NOT_CONTACT: nothing, not even another opt-out, leaves or re-enters that state.
    static readonly EnrollmentState[] AnyButDnc = [S.New, S.Attempting, S.Engaged, S.Qualified, S.Booked, S.NotInterested, S.Stopped, S.Unreachable];

    public static readonly IReadOnlyList<EnrollmentRule> Rules =
    [
        // Touches only happen while the sequence is open; the first one starts ATTEMPTING.
        .. Rows([S.New, S.Attempting], C.TouchQueued, S.Attempting, 0),
        .. Rows([S.New, S.Attempting], C.TouchSent, S.Attempting, 0),
        .. SelfLoops([S.Engaged, S.Qualified], C.TouchQueued, 0),
        .. SelfLoops([S.Engaged, S.Qualified], C.TouchSent, 0),

        // A reply is a fact: always recorded (except under DNC). It re-engages an UNREACHABLE contact (they
        // reached us), but does not re-open NOT_INTERESTED/STOPPED/BOOKED — that takes an operator.
        .. Rows([S.New, S.Attempting, S.Engaged, S.Unreachable], C.ReplyReceived, S.Engaged, ReplyScore),
        .. SelfLoops([S.Qualified, S.Booked, S.NotInterested, S.Stopped], C.ReplyReceived, ReplyScore),

        .. Rows([S.New, S.Attempting, S.Engaged], C.Qualified, S.Qualified, QualifiedScore),
        .. Rows(Open, C.MeetingBooked, S.Booked, BookedScore),
        .. Rows([.. Open, S.Booked], C.NotInterested, S.NotInterested, NotInterestedScore),

        // Opt-out → STOPPED (ARCHITECTURE §4 step 6), not DNC: a later START may lawfully re-open it.
        .. Rows(AnyButDnc, C.OptOut, S.Stopped, OptOutScore),
        .. Rows(AnyButDnc, C.Complaint, S.DoNotContact, ComplaintScore),

        .. Rows(Open, C.StopOnEvent, S.Stopped, 0),
        .. Rows(Open, C.ManualStop, S.Stopped, 0),

        // Exhausting every channel before any reply means unreachable; after a reply the contact is reachable,
        // so the sequence just ends.
        .. Rows([S.New, S.Attempting], C.AllChannelsExhausted, S.Unreachable, ExhaustedScore),
        .. Rows([S.Engaged, S.Qualified], C.AllChannelsExhausted, S.Stopped, 0),

        // Explicit operator re-open; consent and suppression are still checked by the policy engine on every send.
        .. Rows([S.Stopped, S.Unreachable, S.NotInterested], C.Resumed, S.Attempting, 0),

        // Operator corrections. Never to NEW/ATTEMPTING/UNREACHABLE (system-driven states) and never out of
        // STOPPED/UNREACHABLE (use Resumed) or DO_NOT_CONTACT.
        .. OperatorSets([S.New, S.Attempting], [S.Engaged, S.Qualified, S.Booked, S.NotInterested, S.Stopped, S.DoNotContact]),
        .. OperatorSets([S.Engaged], [S.Qualified, S.Booked, S.NotInterested, S.Stopped, S.DoNotContact]),
        .. OperatorSets([S.Qualified], [S.Engaged, S.Booked, S.NotInterested, S.Stopped, S.DoNotContact]),
        .. OperatorSets([S.Booked], [S.Qualified, S.NotInterested, S.DoNotContact]),
        .. OperatorSets([S.NotInterested], [S.Engaged, S.Qualified, S.Booked, S.DoNotContact]),
        .. OperatorSets([S.Stopped, S.Unreachable], [S.DoNotContact]),
    ];

    /// <summary>Score for an operator moving a contact into <paramref name="target"/>: same as the natural cause.</summary>
    public static int OperatorScore(EnrollmentState target) => target switch
    {
        S.Booked => BookedScore,
        S.Qualified => QualifiedScore,
        S.NotInterested => NotInterestedScore,
        S.DoNotContact => ComplaintScore,
        _ => 0,
    };

    static IEnumerable<EnrollmentRule> Rows(EnrollmentState[] from, EnrollmentCause cause, EnrollmentState to, int score) =>
        from.Select(f => new EnrollmentRule(f, cause, to, score));

    static IEnumerable<EnrollmentRule> SelfLoops(EnrollmentState[] states, EnrollmentCause cause, int score) =>
        states.Select(s => new EnrollmentRule(s, cause, s, score));

    static IEnumerable<EnrollmentRule> OperatorSets(EnrollmentState[] from, EnrollmentState[] targets) =>
        from.SelectMany(f => targets.Select(t => new EnrollmentRule(f, C.OperatorSet, t, OperatorScore(t))));
}
