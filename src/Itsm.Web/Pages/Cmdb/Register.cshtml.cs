using Itsm.Application.Features.Cmdb;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>
/// Registers a CI in two steps that need no script: choose the class (a GET form), then fill in its fields and
/// attributes. Engineers and Admins only.
/// </summary>
[Authorize(Roles = CmdbPages.Writers)]
public sealed class RegisterModel(IMediator mediator) : CiFormPageModel(mediator)
{
    [BindProperty(SupportsGet = true, Name = "class")] public string? Class { get; set; }
    public override string SubmitLabel => "Register CI";

    public IEnumerable<SelectListItem> ClassItems => CmdbPages.ClassOptions(Vocabulary.Classes, Class, "— choose a class —", concreteOnly: true);

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadVocabularyAsync();
        ClassView = FindClass(Class);
        if (!string.IsNullOrWhiteSpace(Class) && !IsConcrete(ClassView))
        {
            ModelState.AddModelError("class", $"'{Class}' is not a class a CI can be registered in. Choose one from the list.");
            ClassView = null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadVocabularyAsync();
        ClassView = FindClass(Class);
        var fields = new Dictionary<string, string>(FieldMap(), StringComparer.OrdinalIgnoreCase) { ["class"] = "class" };
        if (!IsConcrete(ClassView)) ClassView = null;
        return await this.SendAsync(async () =>
        {
            var ci = await Mediator.Send(new RegisterConfigurationItem(ClassView?.Code ?? Class, Input.ToCiInput(ClassView?.AllowsRedundancy == true),
                string.IsNullOrWhiteSpace(Input.Reason) ? null : Input.Reason.Trim()));
            this.SetStatusMessage($"{ci.Name} is registered as CI {ci.Id}.");
            return RedirectToPage("/Cmdb/Details", new { id = ci.Id });
        }, () => Task.FromResult<IActionResult>(Page()), fields);
    }
}
