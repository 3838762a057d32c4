using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>The fields every kind of ticket's create and edit forms have.</summary>
public class TicketFormInput
{
    [Display(Name = "Short description")]
    public string? ShortDescription { get; set; }

    [Display(Name = "Description")]
    public string? Description { get; set; }

    [Display(Name = "Category")]
    public string? Category { get; set; }

    [Display(Name = "Impact")]
    public int Impact { get; set; } = 3;

    [Display(Name = "Urgency")]
    public int Urgency { get; set; } = 3;

    [Display(Name = "Assignment group")]
    public Guid? AssignmentGroupId { get; set; }

    [Display(Name = "Assigned to")]
    public string? AssigneeId { get; set; }

    /// <summary>Blank is "not given": null, otherwise trimmed.</summary>
    public static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
