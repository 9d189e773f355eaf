using System.Text.Json.Serialization;

namespace WorkFleet.Jobs.BuiltIn.Normalization;

/// <summary>How <c>preprocess.normalize</c> scales each feature; JSON <c>"standardize"</c> or <c>"minmax"</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NormalizationMethod>))]
public enum NormalizationMethod
{
    /// <summary><c>(x - mean) / std</c> per feature, with the population standard deviation.</summary>
    [JsonStringEnumMemberName("standardize")]
    Standardize,

    /// <summary><c>(x - min) / (max - min)</c> per feature, mapping the batch into [0, 1].</summary>
    [JsonStringEnumMemberName("minmax")]
    MinMax,
}
