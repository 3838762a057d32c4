using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Common;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>
/// Uploads an import file (JSON or CSV, docs/cmdb-import-format.md) and shows what it did: counts and each rejected row.
/// The same <see cref="ImportCmdb"/> as the API; wwwroot/js/cmdb-import.js adds an upload progress bar.
/// </summary>
[Authorize(Roles = "Engineer,Admin")]
[RequestSizeLimit(CmdbImportReader.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = CmdbImportReader.MaxBytes + 1024 * 1024)]
public sealed class ImportModel(IMediator mediator) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> Fields = PageModelExtensions.FieldMap(
        ("file", nameof(Upload)), ("body", nameof(Upload)), ("cis", nameof(Upload)), ("relationships", nameof(Upload)),
        ("source", nameof(Source)), ("reason", nameof(Reason)), ("rows", nameof(Rows)), ("changeNumber", nameof(ChangeNumber)));

    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ChangeNumber { get; set; }
    /// <summary>For a CSV file: "cis" or "relationships".</summary>
    [BindProperty] public string? Rows { get; set; } = "cis";

    public CmdbImportResult? Result { get; private set; }
    public string? FileName { get; private set; }

    public void OnGet() { }

    public Task<IActionResult> OnPostAsync(CancellationToken ct) => this.SendAsync(async () =>
    {
        if (Upload is null || Upload.Length == 0) throw new FieldValidationException("file", "Choose a JSON or CSV file to import.");
        var csv = Upload.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || Upload.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
        var rows = Rows switch
        {
            "relationships" => CmdbImportRows.Relationships,
            "cis" or null => CmdbImportRows.Cis,
            _ => throw new FieldValidationException("rows", "Choose CIs or relationships."),
        };
        await using var stream = Upload.OpenReadStream();
        var command = csv
            ? await CmdbImportReader.ReadCsvAsync(stream, rows, Text(Source), Text(Reason), Text(ChangeNumber), ct)
            : await CmdbImportReader.ReadJsonAsync(stream, Text(Source), Text(Reason), ct);
        if (command.ChangeNumber is null && Text(ChangeNumber) is { } change) command = command with { ChangeNumber = change };
        Result = await mediator.Send(command, ct);
        FileName = Path.GetFileName(Upload.FileName);
        return Page();
    }, () => Task.FromResult<IActionResult>(Page()), Fields);

    private static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
