"""Is an incoming call long distance? (S13 priority, S17 release policy) — pure, no Django.

The host decides it per call from the caller's number and the trunk it came in on:

- a call on a trunk marked long distance is long distance;
- a fixed-line number with an area code other than the center's own is long distance;
- a mobile number is long distance only when the site says so (``mobile``): a mobile number
  carries no city of its own that the switch could compare;
- anything the switch cannot read (withheld, too short, foreign formats) is local.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import phonenumbers

from kefu.directory.phones import parse_phone


@dataclass(frozen=True)
class LongDistanceRule:
    area_code: str = ""  # the center's own, with the trunk prefix: "010", "0755"
    mobile: bool = False
    trunks: frozenset[str] = field(default_factory=frozenset)

    def applies(self, caller: str, trunk: str = "") -> bool:
        if trunk and trunk in self.trunks:
            return True
        parsed = parse_phone(caller, area_code=self.area_code)
        if not parsed.valid:
            return False
        number = phonenumbers.parse(parsed.key)
        if number.country_code != 86:
            return True  # an international caller is as far as it gets
        if parsed.mobile:
            return self.mobile
        if not self.area_code:
            return False
        national = str(number.national_number)
        return not ("0" + national).startswith(self.area_code)
