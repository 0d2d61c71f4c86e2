"""Countries of institutions: ISO 3166-1 alpha-2 codes and their English short names.

ReDIF-Institution has no country field. EDIRC codes end with the country (``abokuat``:
Austria, ``esyoxuk``: the United Kingdom, written ``uk`` where ISO says ``GB``), and a
Location often names it in brackets (``New Haven, Connecticut (United States)``); ``country_of``
reads the code first, then the location. Pure standard library.
"""

from __future__ import annotations

import re

__all__ = ["COUNTRIES", "country_of"]

_TABLE = """
AD Andorra|AE United Arab Emirates|AF Afghanistan|AG Antigua and Barbuda|AI Anguilla|AL Albania|AM Armenia
AO Angola|AQ Antarctica|AR Argentina|AS American Samoa|AT Austria|AU Australia|AW Aruba|AX Åland Islands
AZ Azerbaijan|BA Bosnia and Herzegovina|BB Barbados|BD Bangladesh|BE Belgium|BF Burkina Faso|BG Bulgaria
BH Bahrain|BI Burundi|BJ Benin|BL Saint Barthélemy|BM Bermuda|BN Brunei|BO Bolivia|BQ Caribbean Netherlands
BR Brazil|BS Bahamas|BT Bhutan|BV Bouvet Island|BW Botswana|BY Belarus|BZ Belize|CA Canada
CC Cocos (Keeling) Islands|CD DR Congo|CF Central African Republic|CG Congo|CH Switzerland|CI Côte d'Ivoire
CK Cook Islands|CL Chile|CM Cameroon|CN China|CO Colombia|CR Costa Rica|CU Cuba|CV Cabo Verde|CW Curaçao
CX Christmas Island|CY Cyprus|CZ Czechia|DE Germany|DJ Djibouti|DK Denmark|DM Dominica|DO Dominican Republic
DZ Algeria|EC Ecuador|EE Estonia|EG Egypt|EH Western Sahara|ER Eritrea|ES Spain|ET Ethiopia|FI Finland|FJ Fiji
FK Falkland Islands|FM Micronesia|FO Faroe Islands|FR France|GA Gabon|GB United Kingdom|GD Grenada|GE Georgia
GF French Guiana|GG Guernsey|GH Ghana|GI Gibraltar|GL Greenland|GM Gambia|GN Guinea|GP Guadeloupe
GQ Equatorial Guinea|GR Greece|GS South Georgia and the South Sandwich Islands|GT Guatemala|GU Guam
GW Guinea-Bissau|GY Guyana|HK Hong Kong|HM Heard Island and McDonald Islands|HN Honduras|HR Croatia|HT Haiti
HU Hungary|ID Indonesia|IE Ireland|IL Israel|IM Isle of Man|IN India|IO British Indian Ocean Territory|IQ Iraq
IR Iran|IS Iceland|IT Italy|JE Jersey|JM Jamaica|JO Jordan|JP Japan|KE Kenya|KG Kyrgyzstan|KH Cambodia
KI Kiribati|KM Comoros|KN Saint Kitts and Nevis|KP North Korea|KR South Korea|KW Kuwait|KY Cayman Islands
KZ Kazakhstan|LA Laos|LB Lebanon|LC Saint Lucia|LI Liechtenstein|LK Sri Lanka|LR Liberia|LS Lesotho
LT Lithuania|LU Luxembourg|LV Latvia|LY Libya|MA Morocco|MC Monaco|MD Moldova|ME Montenegro|MF Saint Martin
MG Madagascar|MH Marshall Islands|MK North Macedonia|ML Mali|MM Myanmar|MN Mongolia|MO Macao
MP Northern Mariana Islands|MQ Martinique|MR Mauritania|MS Montserrat|MT Malta|MU Mauritius|MV Maldives
MW Malawi|MX Mexico|MY Malaysia|MZ Mozambique|NA Namibia|NC New Caledonia|NE Niger|NF Norfolk Island
NG Nigeria|NI Nicaragua|NL Netherlands|NO Norway|NP Nepal|NR Nauru|NU Niue|NZ New Zealand|OM Oman|PA Panama
PE Peru|PF French Polynesia|PG Papua New Guinea|PH Philippines|PK Pakistan|PL Poland
PM Saint Pierre and Miquelon|PN Pitcairn|PR Puerto Rico|PS Palestine|PT Portugal|PW Palau|PY Paraguay
QA Qatar|RE Réunion|RO Romania|RS Serbia|RU Russia|RW Rwanda|SA Saudi Arabia|SB Solomon Islands
SC Seychelles|SD Sudan|SE Sweden|SG Singapore|SH Saint Helena|SI Slovenia|SJ Svalbard and Jan Mayen
SK Slovakia|SL Sierra Leone|SM San Marino|SN Senegal|SO Somalia|SR Suriname|SS South Sudan
ST São Tomé and Príncipe|SV El Salvador|SX Sint Maarten|SY Syria|SZ Eswatini|TC Turks and Caicos Islands
TD Chad|TF French Southern Territories|TG Togo|TH Thailand|TJ Tajikistan|TK Tokelau|TL Timor-Leste
TM Turkmenistan|TN Tunisia|TO Tonga|TR Türkiye|TT Trinidad and Tobago|TV Tuvalu|TW Taiwan|TZ Tanzania
UA Ukraine|UG Uganda|UM United States Minor Outlying Islands|US United States|UY Uruguay|UZ Uzbekistan
VA Vatican City|VC Saint Vincent and the Grenadines|VE Venezuela|VG British Virgin Islands
VI U.S. Virgin Islands|VN Vietnam|VU Vanuatu|WF Wallis and Futuna|WS Samoa|YE Yemen|YT Mayotte
ZA South Africa|ZM Zambia|ZW Zimbabwe
"""

#: ISO 3166-1 alpha-2 code -> English short name, in code order
COUNTRIES: dict[str, str] = dict(
    sorted((entry.strip()[:2], entry.strip()[3:]) for entry in _TABLE.replace("\n", "|").split("|") if entry.strip())
)

#: what EDIRC codes end with where it is not the ISO code
_EDIRC = {"UK": "GB"}
#: names Locations use for a country, besides COUNTRIES' own (lower case)
_NAMES = {name.casefold(): code for code, name in COUNTRIES.items()} | {
    "usa": "US", "u.s.a.": "US", "united states of america": "US", "uk": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "great britain": "GB", "russian federation": "RU",
    "korea": "KR", "republic of korea": "KR", "czech republic": "CZ", "turkey": "TR", "the netherlands": "NL",
    "holland": "NL", "macedonia": "MK", "swaziland": "SZ", "ivory coast": "CI", "viet nam": "VN",
}  # fmt: skip
_BRACKETED = re.compile(r"\(([^()]+)\)\s*$")


def country_of(code: str, location: str = "") -> str:
    """The ISO code of an institution's country, from its EDIRC code's last two letters, else
    from the bracketed (or last comma-separated) part of its Location; "" when neither says."""
    edirc = code[-2:].upper()
    edirc = _EDIRC.get(edirc, edirc)
    if len(code) == 7 and edirc in COUNTRIES:
        return edirc
    found = _BRACKETED.search(location)
    tail = found.group(1) if found else location.rsplit(",", 1)[-1]
    return _NAMES.get(" ".join(tail.split()).casefold(), "")
