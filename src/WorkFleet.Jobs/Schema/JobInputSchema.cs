using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using WorkFleet.Jobs.Serialization;

namespace WorkFleet.Jobs.Schema;

/// <summary>
/// The JSON Schema of a job's input, generated from the input type with the jobs' JSON conventions.
/// Descriptions and defaults come from <see cref="DescriptionAttribute"/> and <see cref="DefaultValueAttribute"/>
/// on the type and its properties; <c>required</c> members are listed as required.
/// </summary>
internal static class JobInputSchema
{
    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = AddDocumentation,
    };

    // Numbers in strings ("12") are accepted on input as a courtesy; the schema documents plain numbers.
    private static readonly JsonSerializerOptions SchemaOptions = new(JobJson.Options) { NumberHandling = JsonNumberHandling.Strict };

    public static JsonElement For(Type inputType)
    {
        JsonNode schema = SchemaOptions.GetJsonSchemaAsNode(inputType, ExporterOptions);
        return JsonSerializer.SerializeToElement(schema, JobJson.Options);
    }

    private static JsonNode AddDocumentation(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (context.TypeInfo.Type.GetCustomAttribute<JsonSchemaAttribute>() is { } declared)
        {
            JsonObject replaced = JsonNode.Parse(declared.Schema)!.AsObject();
            if (schema is JsonObject generated && generated["description"] is { } existing)
            {
                replaced["description"] = existing.DeepClone();
            }

            schema = replaced;
        }

        ICustomAttributeProvider? attributes = context.PropertyInfo is { } property
            ? property.AttributeProvider
            : context.Path.IsEmpty ? context.TypeInfo.Type : null;
        if (attributes is null)
        {
            return schema;
        }

        string? description = attributes.GetCustomAttributes(typeof(DescriptionAttribute), inherit: false)
            .OfType<DescriptionAttribute>().FirstOrDefault()?.Description;
        DefaultValueAttribute? defaultValue = attributes.GetCustomAttributes(typeof(DefaultValueAttribute), inherit: false)
            .OfType<DefaultValueAttribute>().FirstOrDefault();
        if (description is null && defaultValue is null)
        {
            return schema;
        }

        // "true" (any value) is a valid schema but has no room for keywords: spell it as an empty object.
        JsonObject documented = schema as JsonObject ?? [];
        if (description is not null)
        {
            documented["description"] = description;
        }

        if (defaultValue is not null)
        {
            documented["default"] = JsonSerializer.SerializeToNode(defaultValue.Value, JobJson.Options);
        }

        return documented;
    }
}
