namespace Itsm.Domain.Tickets;

public static class PriorityText
{
    public static string Label(this Priority p) => $"P{(int)p} {p}";
    public static string Label(this Impact i) => $"{(int)i} - {i}";
    public static string Label(this Urgency u) => $"{(int)u} - {u}";
}
