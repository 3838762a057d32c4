namespace Itsm.Domain.Changes;

/// <summary>The ITIL change types: each takes its own path through itil-processes/change.yaml.</summary>
public enum ChangeType
{
    /// <summary>Pre-approved, from a template of the standard-change catalog: no assessment or authorisation, still checked for conflicts.</summary>
    Standard = 0,
    /// <summary>Assessed, authorised by the approvers the policy picks, scheduled, implemented, reviewed.</summary>
    Normal = 1,
    /// <summary>Authorised by the emergency CAB; skips assessment.</summary>
    Emergency = 2,
}
