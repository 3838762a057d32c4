namespace Itsm.Domain.Processes;

/// <summary>
/// The guards, transition fields and effects one module offers to process definitions. The ticket core has one; a
/// module adds its own by implementing this interface (found by reflection), without touching the core.
/// </summary>
public interface IProcessVocabulary
{
    IEnumerable<Guard> Guards { get; }
    IEnumerable<TransitionField> Fields { get; }
    IEnumerable<TransitionEffect> Effects { get; }
}
