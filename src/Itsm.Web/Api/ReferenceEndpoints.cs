using Itsm.Application.Features.Reference;
using MediatR;

namespace Itsm.Web.Api;

public static class ReferenceEndpoints
{
    public static RouteGroupBuilder MapReferenceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/assignment-groups", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListAssignmentGroups(), ct)))
            .WithTags("Reference").WithName("ListAssignmentGroups");
        api.MapGet("/categories", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListCategories(), ct)))
            .WithTags("Reference").WithName("ListCategories");
        return api;
    }
}
