using NodaTime;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Orchestration;

/// <summary>
/// A touch denied because the person is suppressed or opted out after enrolling ends the enrollment (it is not a
/// channel to fall back from): consent <c>opt_out</c>, or an opted_out/dnc suppression → <c>opt_out</c> (STOPPED);
/// a complaint → <c>complaint</c> (DO_NOT_CONTACT); an operator's contact-wide suppression (manual, bounced) or the
/// SUPPRESSED stage → <c>manual_stop</c> (STOPPED). An address suppression for bounced/manual only rules out that
/// address, so the fallback engine moves on (null). The denied touch stays a recorded PolicyDecision either way.
/// </summary>
public static class DenialStop
{
    public sealed record Stop(EnrollmentCause Cause, string Reason);

    public static Stop? For(PolicyRequest request, PolicyVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.ReasonCode == PolicyReasonCodes.ConsentOptOut) return new(EnrollmentCause.OptOut, PolicyReasonCodes.ConsentOptOut);
        if (verdict.ReasonCode != PolicyReasonCodes.Suppressed) return null;
        if (request.Contact.Stage == LeadStage.Suppressed) return new(EnrollmentCause.ManualStop, "suppressed_stage");
        var active = request.Suppressions.Where(s => s.Reason != SuppressionReason.None && !(s.ExpiresAt <= request.Now)).ToList();
        // The most serious reason decides: a complaint outranks an opt-out, which outranks an operator's stop.
        if (active.Any(s => s.Reason == SuppressionReason.Complaint)) return new(EnrollmentCause.Complaint, "suppressed_complaint");
        if (active.FirstOrDefault(s => s.Reason is SuppressionReason.OptedOut or SuppressionReason.Dnc) is { } no)
            return new(EnrollmentCause.OptOut, "suppressed_" + WireName.Of(no.Reason));
        if (active.FirstOrDefault(s => s.Scope == SuppressionScope.Contact) is { } contactWide)
            return new(EnrollmentCause.ManualStop, "suppressed_" + WireName.Of(contactWide.Reason));
        return null;
    }
}
