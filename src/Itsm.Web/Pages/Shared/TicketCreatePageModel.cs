using Itsm.Application.Features.Tickets;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Shared;

/// <summary>
/// Creates a ticket from a form, once per form (<see cref="FormOptions.CreateOnceAsync{TDetails}"/>), then shows it.
/// A module's page builds its log request from the input.
/// </summary>
public abstract class TicketCreatePageModel<TInput, TDetails>(IMediator mediator) : TicketFormPageModel<TInput>(mediator)
    where TInput : TicketCreateInput, new()
    where TDetails : TicketDetails
{
    public abstract string DetailsPage { get; }
    protected virtual IReadOnlyDictionary<string, string> Fields => CommonFields;
    /// <summary>The module's log request for the form's input, with the idempotency key.</summary>
    protected abstract IRequest<TDetails> LogRequest(string? idempotencyKey);
    /// <summary>The status message once it is created.</summary>
    protected abstract string Logged(TDetails created);
    /// <summary>Fills a fresh form (e.g. from the ticket it is raised from).</summary>
    protected virtual Task PrefillAsync() => Task.CompletedTask;
    /// <summary>Reads what the form names before the log request is built (e.g. CIs typed by name); a field error ends the post.</summary>
    protected virtual Task BeforeCreateAsync() => Task.CompletedTask;

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(async () =>
    {
        Input.FormId = Guid.NewGuid().ToString("N");
        await PrefillAsync();
        return await LoadAsync();
    });

    public Task<IActionResult> OnPostAsync() => this.SendAsync(async () =>
    {
        await BeforeCreateAsync();
        var created = await FormOptions.CreateOnceAsync(Mediator, this, Input.FormId, LogRequest);
        if (created is null)
        {
            Input.FormId = Guid.NewGuid().ToString("N");
            return await LoadAsync();
        }
        this.SetStatusMessage(Logged(created));
        return RedirectToPage(DetailsPage, new { number = created.Number });
    }, LoadAsync, Fields);

    protected async Task<IActionResult> LoadAsync()
    {
        await LoadOptionsAsync();
        return Page();
    }
}
