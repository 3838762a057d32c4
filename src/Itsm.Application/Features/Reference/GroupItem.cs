using System.Text.Json.Serialization;
using Itsm.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Reference;

/// <summary>
/// An assignment group. <see cref="Members"/> (who is in it, their user names and roles) is for fulfillers only: for a
/// requester it is null and left out of the JSON, so the portal learns the group's name but not the people behind it.
/// </summary>
public sealed record GroupItem(Guid Id, string Name, string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<UserInfo>? Members);
