using NodaTime;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// The policy engine (ARCHITECTURE §4 step 2): pure, no clock, no I/O. Every rule runs, even after a
/// denial, so the trace is complete; the first denial in <see cref="PolicyRuleNames.InOrder"/> is the reason.
/// </summary>
public static class PolicyEngine
{
    /// <summary>How far ahead <see cref="PolicyVerdict.NextAllowedAt"/> is searched.</summary>
    public static readonly Duration LookAhead = Duration.FromDays(14);

    // Each step jumps to the latest "could pass from" instant of the denying rules, so the search
    // converges in a few steps; the bound only guards against rules that keep each other closed.
    const int MaxSearchSteps = 256;

    public static PolicyVerdict Evaluate(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = PolicyContext.For(request);
        var checks = new RuleChecks();
        var firstDenial = Run(context, request.Now, ref checks);

        var trace = new RuleOutcome[RuleChecks.Count];
        for (var i = 0; i < RuleChecks.Count; i++)
            trace[i] = new RuleOutcome(checks[i].Rule, checks[i].Verdict, checks[i].Detail);

        var allowed = firstDenial < 0;
        var reason = !allowed ? checks[firstDenial].Reason!
            : request.Purpose == MessagePurpose.OptOutConfirmation ? PolicyReasonCodes.AllowedOptOutConfirmation
            : PolicyReasonCodes.Allowed;
        // The search reuses (overwrites) the checks: everything needed from them is read above.
        var next = allowed ? null : NextAllowedAt(context, request.Now, ref checks);
        return new PolicyVerdict(allowed, reason, trace, next,
            context.Zone.Zone.Id, context.Zone.Source, context.Jurisdiction.Label);
    }

    /// <summary>Runs every rule at <paramref name="now"/>; returns the index of the first denial or -1.</summary>
    static int Run(in PolicyContext c, Instant now, ref RuleChecks checks)
    {
        var r = c.Request;
        var local = now.InZone(c.Zone.Zone);
        checks[0] = EligibilityRules.Suppression(r, now);
        checks[1] = EligibilityRules.Address(r);
        checks[2] = EligibilityRules.Consent(r, now);
        checks[3] = EligibilityRules.Attestation(r, now);
        checks[4] = TimeWindowRules.QuietHours(r, local);
        checks[5] = TimeWindowRules.LegalWindow(c.Jurisdiction, local);
        checks[6] = FrequencyCaps.Caps(r, now);
        checks[7] = FrequencyCaps.SubjectLimit(r, c.Jurisdiction, now);
        checks[8] = StandingRules.Fatigue(r);
        checks[9] = StandingRules.BudgetTier(r);
        checks[10] = StandingRules.Campaign(r);
        OptOutConfirmationRule.Apply(r, now, ref checks);
        for (var i = 0; i < RuleChecks.Count; i++)
            if (checks[i].Denies) return i;
        return -1;
    }

    /// <summary>
    /// Only when every denial is about time: jump to the latest instant at which each denying rule could
    /// pass, re-run everything there, repeat. What is returned was itself evaluated as allowed.
    /// </summary>
    static Instant? NextAllowedAt(in PolicyContext c, Instant now, ref RuleChecks checks)
    {
        var horizon = now + LookAhead;
        var candidate = now;
        for (var step = 0; step < MaxSearchSteps; step++)
        {
            Instant? jump = candidate;
            for (var i = 0; i < RuleChecks.Count; i++)
            {
                var check = checks[i];
                if (!check.Denies) continue;
                if (!check.TimeBound || check.RetryAt is not { } retry) return null;
                jump = Instant.Max(jump!.Value, retry);
            }
            // Never stand still: a rule that names "now" as its retry is moved on by a minute.
            candidate = jump!.Value > candidate ? jump.Value : candidate + Duration.FromMinutes(1);
            if (candidate > horizon) return null;
            if (Run(c, candidate, ref checks) < 0) return candidate;
        }
        return null;
    }
}

/// <summary>What does not change while searching for the next allowed instant.</summary>
readonly record struct PolicyContext(PolicyRequest Request, RecipientTimeZone Zone, RecipientJurisdiction Jurisdiction)
{
    public static PolicyContext For(PolicyRequest request)
    {
        var phone = RecipientTimeZone.IsPhoneChannel(request.Channel)
            ? PhoneNumberGeography.Describe(request.Address?.Value)
            : PhoneNumberFacts.Unknown;
        return new(request, RecipientTimeZone.Resolve(request, phone), RecipientJurisdiction.Resolve(request, phone));
    }
}
