using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Shared;

/// <summary>A create form's input: the common fields and the form's one-time id.</summary>
public class TicketCreateInput : TicketFormInput
{
    /// <summary>A one-time key of this form, so submitting it twice creates one ticket.</summary>
    public string? FormId { get; set; }
}
