namespace Itsm.Infrastructure.Identity;

/// <summary>A personal API token. Only its SHA-256 hash is stored; the token itself is shown once.</summary>
public class ApiToken
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
