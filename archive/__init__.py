"""The archive room: delivery to the e-archive (E-ARK SIPs with FGS Ärendehantering,
CITS ERMS), the dokumenthanteringsplan's retention rules, and gallring on a decision."""
