"""Provincial nominee streams (tech focus): OINP, BC PNP, AAIP, SINP, MPNP.

Attestation keys: ``oinp.settlement_funds``, ``bcpnp.occupation_requirements`` (credentials and licences
the occupation needs), ``bcpnp.wage_income`` (BC minimum wage and income requirements),
``aaip.atp_occupation`` (occupation on the ATP list), ``sinp.apegs_letter``, ``mpnp.not_excluded``
(no work/residence in another province, no MPNP refusal in the last 6 months, no active application
in another PNP or federal program).
"""

from __future__ import annotations

from pathways.rules.pnp_bc import assess_bcpnp
from pathways.rules.pnp_oinp import assess_oinp
from pathways.rules.pnp_prairies import assess_aaip, assess_mpnp, assess_sinp

__all__ = ["assess_aaip", "assess_bcpnp", "assess_mpnp", "assess_oinp", "assess_sinp"]
