using System.ComponentModel.DataAnnotations;
using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>The common fields of a ticket's edit form, and the version it was filled from.</summary>
public class TicketEditInput : TicketFormInput
{
    /// <summary>The version the form was filled from: sent as the expected version.</summary>
    public int Version { get; set; }

    [Display(Name = "Priority override")]
    public int? PriorityOverride { get; set; }

    [Display(Name = "Reason for the override")]
    public string? PriorityOverrideReason { get; set; }

    /// <summary>Fills the common fields from the ticket.</summary>
    public void Fill(TicketDetails t)
    {
        Version = t.Version;
        ShortDescription = t.ShortDescription;
        Description = t.Description;
        Category = t.CategoryCode;
        Impact = (int)t.Impact;
        Urgency = (int)t.Urgency;
        PriorityOverride = t.PriorityOverrideReason is null ? null : (int)t.Priority;
        PriorityOverrideReason = t.PriorityOverrideReason;
        AssignmentGroupId = t.AssignmentGroupId;
        AssigneeId = t.AssigneeId;
    }
}
