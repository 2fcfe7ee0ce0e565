namespace Backprop.Losses;

/// <summary>How the outputs of an ensemble's members average into the ensemble's output (<see cref="EnsembleLoss{T}.Combine"/>).</summary>
public enum MemberAverage
{
    /// <summary>The mean of the members' outputs (regression values).</summary>
    Values,

    /// <summary>The mean of the members' softmax probabilities (one logit per class).</summary>
    SoftmaxProbabilities,

    /// <summary>The mean of the members' sigmoid probabilities, output by output (one logit for two classes, or one per class).</summary>
    SigmoidProbabilities,
}
