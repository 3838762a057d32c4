using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Problems;
using Itsm.Application.Features.Tickets;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Application;

public static class DependencyInjection
{
    /// <summary>MediatR (registered by hand: its DI package does not restore here), the pipeline, validators and read mappings.</summary>
    public static IServiceCollection AddItsmApplication(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        var types = typeof(DependencyInjection).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false });
        foreach (var type in types)
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType &&
                         (i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>) || i.GetGenericTypeDefinition() == typeof(IRequestValidator<>))))
                services.AddScoped(contract, type);
        foreach (var type in types.Where(t => typeof(ITransitionReaction).IsAssignableFrom(t)))
            services.AddScoped(typeof(ITransitionReaction), type);
        foreach (var type in types.Where(t => typeof(IAffectedCisReaction).IsAssignableFrom(t)))
            services.AddScoped(typeof(IAffectedCisReaction), type);
        foreach (var type in types.Where(t => typeof(ITransitionPreparation).IsAssignableFrom(t)))
            services.AddScoped(typeof(ITransitionPreparation), type);
        // Order matters: outermost first.
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(PerformanceBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(UnitOfWorkBehaviour<,>));
        // AutoMapper 14 (MIT), which has no licence key: 15 and later need a paid one in production (docs/decisions/0007).
        services.AddAutoMapper(_ => { }, typeof(IncidentMappingProfile), typeof(ProblemMappingProfile), typeof(Features.Changes.ChangeMappingProfile));
        services.AddScoped<TicketDetailsFiller>();
        services.AddScoped<TicketFieldEditor>();
        services.AddScoped<Features.Cmdb.CmdbWriter>();
        services.AddScoped<Features.Cmdb.CiViews>();
        services.AddScoped<Features.Cmdb.CiInputResolver>();
        services.AddScoped<TicketQueue>();
        services.AddScoped<CreateTicketOnce>();
        services.AddScoped<IncidentDetailsBuilder>();
        services.AddScoped<ProblemDetailsBuilder>();
        services.AddScoped<Features.Changes.ChangeDetailsBuilder>();
        services.AddScoped<Features.Changes.ChangeEditor>();
        services.AddScoped<Features.Changes.ChangeAssessor>();
        services.AddScoped<Features.Changes.ChangeApprovalService>();
        services.AddScoped<Features.Changes.ApproverDirectory>();
        services.AddScoped<Features.Changes.ChangeCalendarReader>();
        return services;
    }
}
