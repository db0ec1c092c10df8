"""Pure-Python Express Entry CRS engine (no Django imports anywhere in this package).

Modules:

* ``rulesets``    dated rule sets (tables with source/status); ``ruleset_for(date)``
* ``language``    test scores -> CLB/NCLC per ability, with validation
* ``engine``      ``score(CRSProfile, RuleSet) -> CRSResult``
* ``contract``    ``calculate(payload, today=...)`` JSON calculator contract
* ``whatif``      single improvements and the points each adds
* ``facts``       client facts -> CRSProfile; ``next_change_date``
* ``eligibility`` FSW / CEC / FSTP program eligibility
* ``categories``  category-based selection versions, NOC lists and eligibility
"""

from scoring.crs.contract import calculate
from scoring.crs.engine import CRSProfile, CRSResult, score
from scoring.crs.rulesets import RULE_SETS, RuleSet, ruleset_for

__all__ = ["RULE_SETS", "CRSProfile", "CRSResult", "RuleSet", "calculate", "ruleset_for", "score"]
