namespace Smpc.Analytics.Interactive.Demo;

/// <summary>One row of the demo veterans dataset (plaintext, held by the contributor only).</summary>
public sealed record VeteranRecord(string? Ssn, string Sex, string State, string Era, int DisabilityRating, double MonthlyBenefit, bool HealthCare);

/// <summary>One row of the demo bank-customers dataset (plaintext, held by the contributor only).</summary>
public sealed record BankCustomerRecord(string? Ssn, string State, double Balance, double MonthlyDeposits, bool Delinquent);
