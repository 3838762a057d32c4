using Itsm.Application;
using Itsm.Application.Common;
using Itsm.Infrastructure;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Itsm.Web.Api;
using Itsm.Web.Auth;
using Itsm.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Serilog;
using Serilog.Formatting.Json;

var builder = WebApplication.CreateBuilder(args);

// Serilog: console and a rolling JSON file; Serilog.AspNetCore does not restore here, so plug it into Microsoft.Extensions.Logging.
var logger = new LoggerConfiguration()
    .ReadFrom.Configuration(builder.Configuration)
    .Enrich.FromLogContext()
    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {CorrelationId}{NewLine}{Exception}")
    .WriteTo.File(new JsonFormatter(renderMessage: true), Path.Combine(builder.Configuration["Logging:Directory"] ?? "logs", "itsm-.json"),
        rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14)
    .CreateLogger();
builder.Logging.ClearProviders().AddSerilog(logger, dispose: true);

builder.Services.AddItsmApplication();
builder.Services.AddItsmInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddHttpContextAccessor();
builder.Services.AddMemoryCache();
builder.Services.AddScoped<ICurrentUser, CurrentUser>();
builder.Services.AddScoped<IUserClaimsPrincipalFactory<ItsmUser>, PrincipalFactory>();
builder.Services.AddScoped<CredentialCheck>();
builder.Services.AddSingleton<DummyPasswordHash>();
builder.Services.AddSignInRateLimiting(builder.Configuration);
// Cached API principals, dropped on every instance when a security event names their user (docs/decisions/0009).
builder.Services.AddSingleton<ApiPrincipalCache>();
builder.Services.AddSingleton<IPrincipalCacheInvalidator>(sp => sp.GetRequiredService<ApiPrincipalCache>());
builder.Services.AddHostedService(sp => new SecurityEventListener(sp.GetRequiredService<IServiceScopeFactory>(),
    sp.GetServices<IPrincipalCacheInvalidator>(), sp.GetRequiredService<ILogger<SecurityEventListener>>(),
    TimeSpan.FromMilliseconds(Math.Max(10, builder.Configuration.GetValue("Auth:SecurityEventPollMilliseconds", 250)))));

const string SmartScheme = "Smart";
builder.Services.AddAuthentication(SmartScheme)
    .AddPolicyScheme(SmartScheme, "Cookie or API token", o => o.ForwardDefaultSelector = http =>
        http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? ApiTokenHandler.SchemeName : IdentityConstants.ApplicationScheme)
    .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null)
    .AddIdentityCookies();
builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/Account/Login";
    o.LogoutPath = "/Account/Logout";
    o.AccessDeniedPath = "/Account/AccessDenied";
    o.Cookie.Name = "itsm.auth";
    o.Cookie.HttpOnly = true;
    o.Cookie.SameSite = SameSiteMode.Lax;
    // Secure whenever the request came over HTTPS (Identity's default, stated here); plain HTTP keeps `make run` working.
    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    o.SlidingExpiration = true;
    o.ExpireTimeSpan = TimeSpan.FromHours(8);
    // An API caller is never sent to the HTML login page, even on a path no endpoint matches.
    o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
    o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);

    static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = status;
        else ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
});
builder.Services.AddAuthorization(o =>
{
    // The API takes bearer tokens only: a browser's cookie cannot be replayed against it (no CSRF through the API).
    o.AddPolicy("Api", p => p.AddAuthenticationSchemes(ApiTokenHandler.SchemeName).RequireAuthenticatedUser());
    o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
});

builder.Services.AddRazorPages(o =>
{
    o.Conventions.AllowAnonymousToPage("/Account/Login");
    o.Conventions.AllowAnonymousToPage("/Error");
});
builder.Services.AddAntiforgery(o =>
{
    o.Cookie.Name = "itsm.af";
    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // the antiforgery default sets no Secure flag even over HTTPS
});
// Browsers that saw the site over HTTPS keep to HTTPS (not in Development, where it would stick to localhost).
builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemDetailsMapping>();
builder.Services.AddOpenApi("v1");
builder.Services.AddHealthChecks().AddDbContextCheck<ItsmDbContext>();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 2 * JsonInput.MaxBytes);

// Routing's content-type matcher answers a body of another media type with a 415 endpoint of its own, before
// authorization: the fallback policy turned that into a 401 for anonymous callers of POST /auth/token. JsonInput checks
// the media type of every JSON body instead (415 problem details), after authorization, whatever the type.
foreach (var consumes in builder.Services.Where(d => d.ServiceType == typeof(Microsoft.AspNetCore.Routing.MatcherPolicy)
                                                     && d.ImplementationType?.Name is "AcceptsMatcherPolicy" or "ConsumesMatcherPolicy").ToList())
    builder.Services.Remove(consumes);

var app = builder.Build();

await StartupTasks.RunAsync(app);
_ = app.Services.GetRequiredService<DummyPasswordHash>(); // hashed now, not in the first sign-in of an unknown user

app.UseMiddleware<RequestLogging>();
// The API answers errors with problem details; the pages with the friendly /Error and /Status/{code} pages.
// Kept apart: a status-code writer on the pages' branch would write JSON before the friendly page runs.
static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");
app.UseWhen(IsApi, api => api.UseExceptionHandler().UseStatusCodePages());
app.UseWhen(http => !IsApi(http), pages => pages.UseExceptionHandler("/Error").UseStatusCodePagesWithReExecute("/Status/{0}"));
if (!app.Environment.IsDevelopment()) app.UseHsts(); // only on HTTPS responses, and never for localhost
app.Use(async (http, next) =>
{
    http.Response.Headers.XContentTypeOptions = "nosniff";
    http.Response.Headers.XFrameOptions = "DENY";
    http.Response.Headers["Referrer-Policy"] = "same-origin";
    // No inline or foreign scripts: the UI works without JavaScript, and injected markup could not run any.
    http.Response.Headers.ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
    await next();
});
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
var api = app.MapGroup("/api/v1").RequireAuthorization("Api");
api.MapAuthEndpoints();
api.MapIncidentEndpoints();
api.MapProblemEndpoints();
api.MapChangeEndpoints();
app.MapChangeCalendarFeed();
api.MapCmdbEndpoints();
api.MapCmdbImportEndpoints();
api.MapReferenceEndpoints();
api.MapCabEndpoints();
app.MapRazorPages();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
