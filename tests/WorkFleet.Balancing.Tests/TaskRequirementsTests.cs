using WorkFleet.Balancing.Tests.Support;

namespace WorkFleet.Balancing.Tests;

public sealed class TaskRequirementsTests
{
    [Fact]
    public void IsMetBy_SameJobTypeNoCapabilities_IsTrue()
    {
        // Arrange
        var worker = Workers.Create("w1", jobTypes: ["preprocess.tokenize"], capabilities: ["gpu"]);
        var requirements = new TaskRequirements("preprocess.tokenize", []);

        // Act
        var met = requirements.IsMetBy(worker);

        // Assert
        Assert.True(met);
    }

    [Fact]
    public void IsMetBy_WorkerWithoutCapabilitiesAndTaskNeedsNone_IsTrue()
    {
        // Arrange
        var worker = Workers.Create("w1", jobTypes: ["a", "b"], capabilities: []);
        var requirements = new TaskRequirements("b", []);

        // Act
        var met = requirements.IsMetBy(worker);

        // Assert
        Assert.True(met);
    }

    [Theory]
    [InlineData("Preprocess.Tokenize")]
    [InlineData("PREPROCESS.TOKENIZE")]
    [InlineData("preprocess.tokenize ")]
    [InlineData("preprocess")]
    [InlineData("")]
    public void IsMetBy_JobTypeNotExactlyEqual_IsFalse(string jobType)
    {
        // Arrange
        var worker = Workers.Create("w1", jobTypes: ["preprocess.tokenize"]);
        var requirements = new TaskRequirements(jobType, []);

        // Act
        var met = requirements.IsMetBy(worker);

        // Assert
        Assert.False(met);
    }

    [Fact]
    public void IsMetBy_AllCapabilitiesOffered_IsTrue()
    {
        // Arrange
        var worker = Workers.Create("w1", jobTypes: ["j"], capabilities: ["gpu", "avx2", "bigmem"]);
        var requirements = new TaskRequirements("j", ["avx2", "gpu"]);

        // Act
        var met = requirements.IsMetBy(worker);

        // Assert
        Assert.True(met);
    }

    [Fact]
    public void IsMetBy_OneCapabilityMissing_IsFalse()
    {
        // Arrange
        var worker = Workers.Create("w1", jobTypes: ["j"], capabilities: ["gpu"]);
        var requirements = new TaskRequirements("j", ["gpu", "avx2"]);

        // Act
        var met = requirements.IsMetBy(worker);

        // Assert
        Assert.False(met);
    }

    [Fact]
    public void IsMetBy_CapabilityDiffersInCase_IsFalse()
    {
        // Arrange
        var worker = Workers.Create("w1", jobTypes: ["j"], capabilities: ["gpu"]);
        var requirements = new TaskRequirements("j", ["GPU"]);

        // Act
        var met = requirements.IsMetBy(worker);

        // Assert
        Assert.False(met);
    }

    [Fact]
    public void IsMetBy_CapabilitiesPresentButJobTypeMissing_IsFalse()
    {
        // Arrange
        var worker = Workers.Create("w1", jobTypes: ["other"], capabilities: ["gpu"]);
        var requirements = new TaskRequirements("j", ["gpu"]);

        // Act
        var met = requirements.IsMetBy(worker);

        // Assert
        Assert.False(met);
    }
}
