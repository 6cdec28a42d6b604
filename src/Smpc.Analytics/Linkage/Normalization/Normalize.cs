// Normalisation of linkage identifiers: the one function set every contributor applies before
// pseudonymising, so that the same person gives the same key string at every agency.
//
//   Ssn          "123-45-6789", "123 45 6789", "123.45.6789", "123456789", 123456789L → "123456789";
//                leading zeros kept ("012-34-5678" → "012345678") or restored ("12345678"); numbers the SSA never
//                issues → missing.
//   Surname      case, whitespace, punctuation, diacritics and generational suffixes removed:
//                "  de la Cruz-Ávila, Jr. " → "DELACRUZAVILA".
//   GivenName    as Surname, then the first word only (middle names and initials dropped): "Mary Ann" → "MARY".
//   DateOfBirth  ISO, US month-first, day-month-name, yyyymmdd … → a DateOnly; impossible dates → missing.
//   Sex          M/F in the usual spellings and ISO/IEC 5218 codes → "M"/"F"; anything else → missing.
//
// Every function is total: bad input returns null ("missing"), never throws, because one malformed
// cell must not stop a contributor's upload; the contributor's LinkagePreparation report counts them.
// Leakage: none (runs at the contributor, on its own plaintext).
namespace Smpc.Analytics.Linkage;

/// <summary>
/// Canonical forms of identifiers used as linkage keys. Every contributor of a study must use these
/// functions (and the same version of them): two spellings of one identifier must give the same
/// canonical string, or the pseudonyms will differ and the records will not link.
/// </summary>
public static partial class Normalize
{
}
