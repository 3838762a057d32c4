namespace Itsm.Application.Features.Tickets;

/// <summary>A transition open to the caller now, with the fields its form asks for.</summary>
public sealed record TransitionOption(string Name, string Label, string To, IReadOnlyList<string> RequiredFields, IReadOnlyList<string> OptionalFields);
