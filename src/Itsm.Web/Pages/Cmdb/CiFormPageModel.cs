using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Reference;
using Itsm.Domain.Cmdb;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>A CI's values as the register and edit forms post them; every field is sent, so an empty one clears it.</summary>
public sealed class CiFormInput
{
    public string? Name { get; set; }
    public string? Status { get; set; }
    public string? Environment { get; set; }
    public int Criticality { get; set; } = 3;
    public string? OwnerGroup { get; set; }
    public string? SupportGroup { get; set; }
    public bool Restricted { get; set; }
    public string? Redundancy { get; set; }
    public Dictionary<string, string?> Attributes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Reason { get; set; }
    public int? Version { get; set; }

    public CiInput ToCiInput(bool allowsRedundancy) => new()
    {
        Name = Name?.Trim() ?? "",
        Status = Status ?? "",
        Environment = Environment ?? "",
        Criticality = Criticality,
        OwnerGroup = OwnerGroup ?? "",
        SupportGroup = SupportGroup ?? "",
        Restricted = Restricted,
        // A class without redundancy rules has no such field on the form: leave the value alone.
        Redundancy = allowsRedundancy ? Redundancy ?? "" : null,
        Attributes = Attributes,
    };

    public static CiFormInput From(CiDetails ci) => new()
    {
        Name = ci.Name, Status = ci.Status, Environment = ci.Environment, Criticality = ci.Criticality,
        OwnerGroup = ci.OwnerGroupId?.ToString(), SupportGroup = ci.SupportGroupId?.ToString(), Restricted = ci.Restricted,
        Redundancy = ci.Redundancy, Version = ci.Version,
        Attributes = ci.Attributes.ToDictionary(a => a.Name, a => a.Value, StringComparer.OrdinalIgnoreCase),
    };
}

/// <summary>The register and edit pages: a form driven by the CI class's attributes (ListCiClasses), errors into ModelState.</summary>
public abstract class CiFormPageModel(IMediator mediator) : PageModel
{
    protected IMediator Mediator => mediator;

    [BindProperty] public CiFormInput Input { get; set; } = new();

    public CmdbVocabulary Vocabulary { get; private set; } = null!;
    public IReadOnlyList<GroupItem> AssignmentGroups { get; private set; } = [];
    /// <summary>The class the form is for; null while the register page still asks for one.</summary>
    public CiClassView? ClassView { get; protected set; }
    public abstract string SubmitLabel { get; }

    protected async Task LoadVocabularyAsync()
    {
        Vocabulary ??= await mediator.Send(new ListCiClasses());
        if (AssignmentGroups.Count == 0) AssignmentGroups = await mediator.Send(new ListAssignmentGroups());
    }

    protected CiClassView? FindClass(string? code) =>
        Vocabulary.Classes.FirstOrDefault(c => string.Equals(c.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The domain's field keys ("name", "attributes.hostname") to the form's inputs.</summary>
    protected IReadOnlyDictionary<string, string> FieldMap()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["name"] = "Input.Name", ["status"] = "Input.Status", ["environment"] = "Input.Environment",
            ["criticality"] = "Input.Criticality", ["ownerGroup"] = "Input.OwnerGroup", ["supportGroup"] = "Input.SupportGroup",
            ["redundancy"] = "Input.Redundancy", ["reason"] = "Input.Reason",
        };
        foreach (var a in ClassView?.Attributes ?? []) map[$"attributes.{a.Name}"] = AttributeKey(a.Name);
        return map;
    }

    public static string AttributeKey(string name) => $"Input.Attributes[{name}]";
    public static string InputId(string key) => TagBuilder.CreateSanitizedId(key, "_");

    /// <summary>The current attributes of the class, with every ancestor's included (ListCiClasses lists them all already).</summary>
    public IReadOnlyList<CiAttributeView> Attributes => ClassView?.Attributes ?? [];

    public static IReadOnlyList<string> EnumValues(CiAttributeView a) => (a.Value ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);

    public IEnumerable<SelectListItem> StatusItems =>
        Vocabulary.Statuses.Select(s => new SelectListItem(s, s, string.Equals(s, Input.Status ?? "Operational", StringComparison.OrdinalIgnoreCase)));

    public IEnumerable<SelectListItem> EnvironmentItems =>
        new[] { new SelectListItem("— None —", "", string.IsNullOrEmpty(Input.Environment)) }
            .Concat(Vocabulary.Environments.Select(e => new SelectListItem(e, e, string.Equals(e, Input.Environment, StringComparison.OrdinalIgnoreCase))));

    public IEnumerable<SelectListItem> GroupItems(string? selected) =>
        new[] { new SelectListItem("— None —", "", string.IsNullOrEmpty(selected)) }
            .Concat(AssignmentGroups.Select(g => new SelectListItem(g.Name, g.Id.ToString(),
                string.Equals(g.Id.ToString(), selected, StringComparison.OrdinalIgnoreCase) || string.Equals(g.Name, selected, StringComparison.OrdinalIgnoreCase))));

    public string? AttributeValue(string name) => Input.Attributes.GetValueOrDefault(name);

    /// <summary>An input's error, for aria-invalid and the message under it.</summary>
    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    protected static bool IsConcrete(CiClassView? c) => c is { Abstract: false };

    protected static string TypeHint(CiAttributeView a) => a.Type switch
    {
        "integer" => "a whole number",
        "decimal" => "a number",
        "date" => "a date, e.g. 2026-11-01",
        "boolean" => "true or false",
        _ => "",
    };

    public string Hint(CiAttributeView a) => TypeHint(a);
    public static string InputMode(CiAttributeView a) => a.Type switch { "integer" => "numeric", "decimal" => "decimal", _ => "text" };
    public const string StatusRetired = nameof(CiStatus.Retired);
}
