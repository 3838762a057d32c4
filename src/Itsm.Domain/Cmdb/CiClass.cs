namespace Itsm.Domain.Cmdb;

/// <summary>
/// A CI class with what it inherits already resolved: its own and its ancestors' attributes, and the identifier
/// attributes that recognise the same CI on re-import (the nearest class up the hierarchy that declares them).
/// </summary>
public sealed class CiClass
{
    public CiClass(string code, string name, CiClass? parent, bool isAbstract, bool allowsRedundancy,
        IReadOnlyList<CiAttributeDefinition> ownAttributes, IReadOnlyList<string>? ownIdentifiers)
    {
        Code = code;
        Name = name;
        Parent = parent;
        IsAbstract = isAbstract;
        AllowsRedundancy = allowsRedundancy || (parent?.AllowsRedundancy ?? false);
        Attributes = [.. parent?.Attributes ?? [], .. ownAttributes];
        Identifiers = ownIdentifiers ?? parent?.Identifiers ?? [];
        IdentifierOwner = ownIdentifiers is not null ? this : parent?.IdentifierOwner ?? this;
    }

    public string Code { get; }
    public string Name { get; }
    public CiClass? Parent { get; }
    public bool IsAbstract { get; }
    public bool AllowsRedundancy { get; }
    public IReadOnlyList<CiAttributeDefinition> Attributes { get; }
    /// <summary>"name" or attribute names.</summary>
    public IReadOnlyList<string> Identifiers { get; }
    /// <summary>The class whose identifiers these are: CIs of its subclasses are recognised across them.</summary>
    public CiClass IdentifierOwner { get; }

    public CiAttributeDefinition? Attribute(string name) =>
        Attributes.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    public bool IsA(CiClass other)
    {
        for (var c = this; c is not null; c = c.Parent)
            if (ReferenceEquals(c, other)) return true;
        return false;
    }

    public override string ToString() => Code;
}
