namespace Itsm.Domain.Tests.Processes;

/// <summary>A small valid definition; each test breaks it in one place.</summary>
internal static class SampleYaml
{
    public const string Valid = """
        process: sample
        kind: Incident
        initial-state: open
        reopen-window-days: 3
        states:
          - id: open
            label: Open
            active: true
            final: false
          - id: waiting
            label: Waiting
            active: true
            final: false
          - id: done
            label: Done
            active: false
            final: true
        hold-reasons:
          - id: awaiting-caller
            label: Awaiting Caller
        resolution-codes:
          - id: fixed
            label: Fixed
        transitions:
          - name: wait
            label: Wait
            from: [open]
            to: waiting
            roles: [Agent]
            required-fields: [holdReason]
            effects: [record-hold-reason]
          - name: finish
            label: Finish
            from: [open, waiting]
            to: done
            roles: [Agent, Admin]
            guards: [has-assignee]
            required-fields: [resolutionCode]
            effects: [record-resolution]
        automatic-transitions:
          - name: answered
            trigger: caller-comment
            from: waiting
            hold-reason: awaiting-caller
            to: open
          - name: expire
            trigger: timer
            from: waiting
            to: done
            after-days: 3
        """;

    /// <summary>The valid sample with one exact piece of text replaced (which must occur once).</summary>
    public static string With(string find, string replace)
    {
        var at = Valid.IndexOf(find, StringComparison.Ordinal);
        if (at < 0 || Valid.IndexOf(find, at + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"'{find}' must occur exactly once in the sample.", nameof(find));
        return Valid[..at] + replace + Valid[(at + find.Length)..];
    }
}
