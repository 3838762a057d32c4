namespace Itsm.Application.Common;

/// <summary>A field of a partial update: absent (leave as is) or present, possibly with null (clear it).</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static Optional<T> Unset => default;
    public static implicit operator Optional<T>(T value) => new(true, value);
}
