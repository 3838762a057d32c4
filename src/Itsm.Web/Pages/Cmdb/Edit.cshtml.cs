using Itsm.Application.Features.Cmdb;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>Edits a CI's fields and attributes, checked against the version the form was loaded with (If-Match).</summary>
[Authorize(Roles = CmdbPages.Writers)]
public sealed class EditModel(IMediator mediator) : CiFormPageModel(mediator)
{
    [FromRoute(Name = "id")] public long Id { get; set; }
    public CiDetails Ci { get; private set; } = null!;
    public override string SubmitLabel => "Save changes";

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(async () =>
    {
        await LoadAsync();
        Input = CiFormInput.From(Ci);
        return Page();
    });

    // The CI first: a missing or hidden one is a 404 before any field is looked at.
    public Task<IActionResult> OnPostAsync() => this.LoadAsync(async () =>
    {
        await LoadAsync();
        return await this.SendAsync(async () =>
        {
            var ci = await Mediator.Send(new UpdateConfigurationItem(Id, Input.ToCiInput(ClassView?.AllowsRedundancy == true), Input.Version,
                string.IsNullOrWhiteSpace(Input.Reason) ? null : Input.Reason.Trim()));
            this.SetStatusMessage($"{ci.Name} is saved (version {ci.Version}).");
            return RedirectToPage("/Cmdb/Details", new { id = ci.Id });
        }, () => Task.FromResult<IActionResult>(Page()), FieldMap());
    });

    private async Task LoadAsync()
    {
        await LoadVocabularyAsync();
        Ci = await Mediator.Send(new GetConfigurationItem(Id));
        ClassView = FindClass(Ci.Class);
    }
}
