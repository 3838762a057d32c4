using System.ComponentModel.DataAnnotations;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Reference;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Portal;

/// <summary>An employee reports an incident for themselves: impact is low unless it affects many people.</summary>
public sealed class ReportModel(IMediator mediator) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> Fields = PageModelExtensions.FieldMap(
        ("shortDescription", "Input.ShortDescription"), ("description", "Input.Description"),
        ("category", "Input.Category"), ("urgency", "Input.Urgency"), ("impact", "Input.AffectsManyPeople"));

    [BindProperty]
    public ReportInput Input { get; set; } = new();

    public IReadOnlyList<CategoryItem> Categories { get; private set; } = [];

    public Task<IActionResult> OnGetAsync()
    {
        Input.FormId = Guid.NewGuid().ToString("N");
        return this.LoadAsync(LoadAsync);
    }

    public Task<IActionResult> OnPostAsync() => this.SendAsync(async () =>
    {
        var created = await FormOptions.CreateOnceAsync(mediator, this, Input.FormId, key => new LogIncident
        {
            IdempotencyKey = key,
            ShortDescription = Input.ShortDescription ?? "",
            Description = Input.Description,
            Category = string.IsNullOrEmpty(Input.Category) ? null : Input.Category,
            Impact = Input.AffectsManyPeople ? 2 : 3,
            Urgency = Input.Urgency,
        });
        if (created is null)
        {
            Input.FormId = Guid.NewGuid().ToString("N");
            return await LoadAsync();
        }
        this.SetStatusMessage($"Thank you. Your incident {created.Number} was logged; the service desk will pick it up. You can follow it here.");
        return RedirectToPage("/Incidents/Details", new { number = created.Number });
    }, LoadAsync, Fields);

    private async Task<IActionResult> LoadAsync()
    {
        Categories = await mediator.Send(new ListCategories());
        return Page();
    }

    public sealed class ReportInput
    {
        public string? FormId { get; set; }

        [Display(Name = "What is wrong?")]
        public string? ShortDescription { get; set; }

        [Display(Name = "Details (optional)")]
        public string? Description { get; set; }

        [Display(Name = "What is it about?")]
        public string? Category { get; set; }

        [Display(Name = "How urgent is it for you?")]
        public int Urgency { get; set; } = 3;

        [Display(Name = "This affects many people, not only me")]
        public bool AffectsManyPeople { get; set; }
    }
}
