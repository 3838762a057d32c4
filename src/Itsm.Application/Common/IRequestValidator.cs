using Itsm.Domain.Common;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Itsm.Application.Common;

/// <summary>A request's own checks of its fields, run before the handler.</summary>
public interface IRequestValidator<in TRequest>
{
    IEnumerable<(string Field, string Message)> Validate(TRequest request);
}
