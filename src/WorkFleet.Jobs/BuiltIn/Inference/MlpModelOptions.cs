namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>
/// Where <c>inference.mlp</c> finds models, bound from <c>WorkFleet:Jobs:Mlp</c>
/// (e.g. <c>WorkFleet__Jobs__Mlp__ModelDirectory=/models</c>).
/// </summary>
public sealed class MlpModelOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "WorkFleet:Jobs:Mlp";

    /// <summary>
    /// A directory of user models, each <c>&lt;name&gt;.safetensors</c> in the <see cref="MlpModel"/> format; a
    /// model here shadows a shipped model of the same name. Default <c>null</c>: only the shipped models
    /// (<c>digits-mlp</c>). Must exist when set.
    /// </summary>
    public string? ModelDirectory { get; set; }
}
