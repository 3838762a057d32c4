using Itsm.Application.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Reference;

public sealed record CategoryItem(string Code, string Label, Guid? DefaultGroupId);
