using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Touchpoint.Domain.Enrollments;
using C = Touchpoint.Domain.Enrollments.EnrollmentCause;
using S = Touchpoint.Domain.Vocabulary.EnrollmentState;

namespace Touchpoint.Domain.Tests.Enrollments;

public sealed class EnrollmentSequenceProperties
{
    static readonly Gen<(C Cause, S? Target)> Step =
        from cause in Gen.Elements(Enum.GetValues<C>())
        from target in Gen.Elements(Enum.GetValues<S>())
        select (cause, cause == C.OperatorSet ? target : (S?)null);

    static readonly Arbitrary<(S Start, (C Cause, S? Target)[] Steps)> Runs =
        (from start in Gen.Elements(Enum.GetValues<S>())
         from steps in Step.ArrayOf()
         select (start, steps)).ToArbitrary();

    [Property(MaxTest = 1000)]
    public Property Random_cause_sequences_never_reach_an_undefined_state_and_terminal_states_take_no_touches() =>
        Prop.ForAll(Runs, run =>
        {
            var state = run.Start;
            foreach (var (cause, target) in run.Steps)
            {
                var t = EnrollmentStateMachine.Apply(state, cause, target);
                if (!Enum.IsDefined(t.To)) return false;
                if (!t.Allowed && t.To != state) return false;
                if (EnrollmentStates.IsTerminal(state) && cause is C.TouchQueued or C.TouchSent && t.Allowed) return false;
                if (state == S.DoNotContact && t.To != S.DoNotContact) return false;
                if (t.IsTerminal != EnrollmentStates.IsTerminal(t.To)) return false;
                state = t.To;
            }
            return true;
        });
}
