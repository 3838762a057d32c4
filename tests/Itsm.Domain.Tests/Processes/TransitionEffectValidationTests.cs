using static Itsm.Domain.Tests.Processes.ProcessTestFiles;
using static Itsm.Domain.Tests.Processes.SampleYaml;

namespace Itsm.Domain.Tests.Processes;

/// <summary>Fields and effects of a transition, checked at start-up with the line of the transition at fault.</summary>
public class TransitionEffectValidationTests
{
    [Test]
    public void Validate_WhenEffectUnknown_ListsKnownEffects()
    {
        var yaml = With("effects: [record-hold-reason]", "effects: [record-hold-reasons]");
        AssertError(yaml, "- name: wait", "transition 'wait' names unknown effect 'record-hold-reasons'. Known effects: record-cancel-reason, record-hold-reason, record-resolution, record-rework, record-root-cause, reopen.");
    }

    [Test]
    public void Validate_WhenEffectBelongsToAnotherModule_SaysWhichKindHasIt()
    {
        var yaml = With("effects: [record-resolution]", "effects: [record-resolution, record-root-cause]");
        AssertError(yaml, "- name: finish", "transition 'finish' names effect 'record-root-cause', which only Problem processes have.");
    }

    [Test]
    public void Validate_WhenFieldIsTakenByNoEffect_SaysWhichEffectWouldRecordIt()
    {
        var yaml = With("required-fields: [holdReason]\n    effects: [record-hold-reason]", "required-fields: [holdReason]");
        AssertError(yaml, "- name: wait", "transition 'wait' takes field 'holdReason', but none of its effects records it; add the effect that does (record-hold-reason) or drop the field.");
    }

    [Test]
    public void Validate_WhenEffectsNeededFieldIsNotRequired_SaysSo()
    {
        var yaml = With("required-fields: [resolutionCode]", "optional-fields: [resolutionCode]");
        AssertError(yaml, "- name: finish", "transition 'finish' has effect 'record-resolution', which needs 'resolutionCode' among its required-fields.");
    }

    [Test]
    public void Validate_WhenOptionalFieldUnknown_ListsKnownFields()
    {
        var yaml = With("required-fields: [resolutionCode]", "required-fields: [resolutionCode]\n    optional-fields: [resolutionNote]");
        AssertError(yaml, "- name: finish", "transition 'finish' names unknown optional field 'resolutionNote'. Known fields:");
    }

    [Test]
    public void Validate_WhenFieldBothRequiredAndOptional_SaysSo()
    {
        var yaml = With("required-fields: [resolutionCode]", "required-fields: [resolutionCode]\n    optional-fields: [resolutionCode]");
        AssertError(yaml, "- name: finish", "transition 'finish' names field 'resolutionCode' as both required and optional.");
    }
}
