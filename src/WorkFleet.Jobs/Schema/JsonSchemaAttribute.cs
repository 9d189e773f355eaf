namespace WorkFleet.Jobs.Schema;

/// <summary>
/// The JSON Schema of a type whose JSON shape comes from a custom converter, which the schema generator
/// cannot see into; it replaces the generated schema.
/// </summary>
/// <param name="schema">The schema, as JSON.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
internal sealed class JsonSchemaAttribute(string schema) : Attribute
{
    /// <summary>The schema, as JSON.</summary>
    public string Schema { get; } = schema;
}
