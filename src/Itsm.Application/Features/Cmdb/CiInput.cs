using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// A CI's values as a caller sends them (API, page, import row): every field optional; on an update, a field left out
/// (null) keeps its value and an empty text clears it. Groups are given by id or by name.
/// </summary>
public sealed record CiInput
{
    public string? Name { get; init; }
    public string? Status { get; init; }
    public string? Environment { get; init; }
    public int? Criticality { get; init; }
    public string? OwnerGroup { get; init; }
    public string? SupportGroup { get; init; }
    public bool? Restricted { get; init; }
    public string? Redundancy { get; init; }
    /// <summary>Attribute values by name; an empty value clears the attribute.</summary>
    public IReadOnlyDictionary<string, string?>? Attributes { get; init; }
}

/// <summary>Merges a <see cref="CiInput"/> onto a CI's current values and checks the result against its class.</summary>
public sealed class CiInputResolver(IItsmDbContext db, CmdbModel model)
{
    private Dictionary<string, Guid>? _groups;

    /// <summary>The values to write, or the field errors (each keyed by the input's field name).</summary>
    public async Task<(CiValues Values, Dictionary<string, string[]> Errors)> ResolveAsync(CiClass cls, CiInput input, CiValues? current, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var status = current?.Status ?? CiStatus.Operational;
        if (input.Status is not null && !CiStatusText.TryParse(input.Status, out status))
            errors["status"] = [$"'{input.Status}' is not a status: {CiStatusText.Allowed}."];
        var environment = current?.Environment;
        if (input.Environment is not null)
        {
            environment = model.NormalizeEnvironment(input.Environment);
            if (environment is null && input.Environment.Trim().Length > 0)
                errors["environment"] = [$"'{input.Environment}' is not an environment: {string.Join(", ", model.Environments)}."];
        }
        Redundancy? redundancy = current?.Redundancy;
        if (input.Redundancy is not null)
        {
            if (input.Redundancy.Trim().Length == 0) redundancy = null;
            else if (Redundancy.TryParse(input.Redundancy, out var r, out var error)) redundancy = r;
            else errors["redundancy"] = [error!];
        }
        var attributes = new Dictionary<string, string>(current?.Attributes ?? new Dictionary<string, string>());
        foreach (var (k, v) in input.Attributes ?? new Dictionary<string, string?>())
            if (string.IsNullOrWhiteSpace(v)) attributes.Remove(cls.Attribute(k)?.Name ?? k);
            else attributes[cls.Attribute(k)?.Name ?? k] = v;

        var values = new CiValues
        {
            Name = input.Name ?? current?.Name ?? "",
            Status = status,
            Environment = environment,
            Criticality = input.Criticality ?? current?.Criticality ?? 3,
            OwnerGroupId = await GroupAsync("ownerGroup", input.OwnerGroup, current?.OwnerGroupId, errors, ct),
            SupportGroupId = await GroupAsync("supportGroup", input.SupportGroup, current?.SupportGroupId, errors, ct),
            Restricted = input.Restricted ?? current?.Restricted ?? false,
            Redundancy = redundancy,
            Attributes = attributes,
        };
        var (normalized, valueErrors) = CiValidation.Normalize(cls, values);
        foreach (var (k, v) in valueErrors) errors.TryAdd(k, v);
        return (normalized, errors);
    }

    public async Task<CiValues> RequireAsync(CiClass cls, CiInput input, CiValues? current, CancellationToken ct)
    {
        var (values, errors) = await ResolveAsync(cls, input, current, ct);
        if (errors.Count > 0) throw new FieldValidationException(errors);
        return values;
    }

    private async Task<Guid?> GroupAsync(string field, string? given, Guid? current, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (given is null) return current;
        if (given.Trim().Length == 0) return null;
        _groups ??= await db.AssignmentGroups.AsNoTracking().ToDictionaryAsync(g => g.Name, g => g.Id, StringComparer.OrdinalIgnoreCase, ct);
        if (Guid.TryParse(given, out var id) && _groups.ContainsValue(id)) return id;
        if (_groups.TryGetValue(given.Trim(), out var byName)) return byName;
        errors[field] = [$"'{given}' is not an assignment group."];
        return null;
    }
}
