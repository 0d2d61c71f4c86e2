"""Word lists for the synthetic catalogue (catalogue.synthetic.generate): names, economics vocabulary
and NEP reports (JEL codes named by catalogue.jel). Data only; the order of every list is part
of the generator's output, so append rather than reorder if the catalogue of a given seed must
stay the same."""

from ..jel import JEL_NAMES as JEL_NAMES

# The three-character JEL codes the generator classifies items under, in this order (the
# selection catalogue.jel held before it held the whole classification: the catalogue of a
# given seed stays the same).
SYNTHETIC_JEL = (
    "A10", "B41", "C11", "C12", "C14", "C21", "C22", "C23", "C25", "C32", "C53", "C61", "C63",
    "C68", "C72", "C78", "C87", "C91", "C93", "D12", "D13", "D22", "D24", "D31", "D43", "D44",
    "D63", "D72", "D81", "D82", "D83", "D91", "E21", "E22", "E24", "E31", "E32", "E43", "E44",
    "E52", "E58", "E62", "F13", "F14", "F21", "F22", "F23", "F31", "F32", "F34", "F41", "F43",
    "G01", "G11", "G12", "G14", "G21", "G28", "G32", "G34", "G41", "H21", "H23", "H24", "H25",
    "H26", "H41", "H51", "H52", "H53", "H63", "H77", "I12", "I14", "I18", "I21", "I23", "I24",
    "I26", "I28", "I31", "I32", "I38", "J11", "J12", "J13", "J16", "J21", "J22", "J23", "J24",
    "J26", "J31", "J41", "J51", "J61", "J62", "J63", "J64", "J65", "J68", "J71", "K21", "K42",
    "L11", "L13", "L25", "L26", "L51", "L52", "L94", "M12", "M21", "M41", "M52", "N14", "N33",
    "O11", "O13", "O15", "O16", "O18", "O31", "O32", "O33", "O34", "O38", "O41", "O47", "O52",
    "O53", "O55", "P16", "P26", "Q11", "Q12", "Q18", "Q41", "Q42", "Q48", "Q51", "Q52", "Q53",
    "Q54", "Q56", "Q58", "R11", "R12", "R23", "R31", "R41", "R58", "Y10", "Z11", "Z13",
)  # fmt: skip

FIRST_NAMES = """
Hans Jens Anna Maria José Juan Carlos Luis Ana Lucía Pedro Pablo Javier Elena Sofía Marta Isabel
François Jean Pierre Marie Camille Élodie Hélène Céline Jérôme Frédéric Thomas Nicolas Julien
Klaus Jürgen Günter Uwe Sabine Ursula Björn Lars Anders Sven Åsa Ingrid Karin Sören Mikael Nils
Giovanni Giuseppe Marco Francesca Chiara Alessandro Luca Paolo Federica Stefano Niccolò
John James Robert Michael David William Richard Joseph Mary Patricia Jennifer Linda Elizabeth
Susan Sarah Emily Daniel Matthew Andrew Christopher Laura Rachel Peter Paul Mark Steven Kevin
Wei Li Jing Yan Hui Xiaoming Jun Yuki Hiroshi Takeshi Kenji Akiko Min-jun Ji-woo Seo-yeon
Rajesh Priya Amit Sanjay Anjali Ravi Deepak Sunita Arjun Mohammed Ahmed Fatima Omar Leila Yusuf
Mehmet Ayşe Emre Zeynep Olga Ivan Dmitri Natalia Sergei Tatiana Piotr Katarzyna Tomasz Małgorzata
Jan Petr Zuzana Tomáš Ondřej Péter Zoltán Gábor Eszter Ioannis Dimitris Eleni Kostas António
João Joana Rui Inês Tiago Beatriz Gonçalo Chiamaka Oluwaseun Kwame Amara Thandiwe Tendai
Ruslan Fatime Barbara Erik Johan Marek Agnieszka Raúl Andrés Íñigo Nuria Gerard Joaquín Martín
""".split()  # noqa: SIM905 (a block of names reads better than a list)

LAST_NAMES = """
Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange
García Martínez López González Rodríguez Fernández Sánchez Pérez Gómez Martín Jiménez Ruiz
Hernández Díaz Moreno Álvarez Muñoz Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez
Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre
Michel Garnier Faure Rousseau Mercier Chevalier Gauthier Perrin Roux Fontaine Bonnet Girard
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti
De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Caruso
Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson White
Harris Thompson Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams
Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins
Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Kelly Howard Ward Cox
Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
Sörvik Jönsson Lindqvist Bergström Lundgren Håkansson Nyström Öberg Sjöberg Åkesson Hansen
Jensen Nielsen Pedersen Christensen Rasmussen Sørensen Kristiansen Halvorsen Virtanen Korhonen
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo
Tanaka Suzuki Takahashi Watanabe Itō Yamamoto Nakamura Kobayashi Saitō Katō Kim Lee Park Choi
Jung Kang Cho Yoon Jang Sharma Gupta Singh Kumar Patel Mehta Reddy Iyer Banerjee Chatterjee
Mukherjee Das Rao Nair Khan Hussain Rahman Ahmed Ali Hassan Ibrahim Haddad Nasser Yılmaz
Kaya Demir Şahin Çelik Öztürk Aydın Ivanov Smirnov Kuznetsov Popov Sokolov Petrov Volkov
Kowalski Nowak Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Dvořák
Novák Svoboda Černý Procházka Nagy Kovács Tóth Szabó Horváth Varga Papadopoulos Georgiou
Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Almeida Nascimento Carvalho Gonçalves
Okafor Adeyemi Mensah Okonkwo Nkosi Moyo Mwangi Otieno Hegyi Rakhmatullin Van_der_Berg
De_Vries Janssen Peeters Maes Jacobs Mertens Willems Claes Goossens Wouters Dupont Lambert
O'Brien O'Connor McCarthy Murray Quinn Byrne Walsh Ó_Súilleabháin Acemoglu Stiglitz Keynes
""".split()  # noqa: SIM905 (a block of names reads better than a list)
LAST_NAMES = [name.replace("_", " ") for name in LAST_NAMES]  # De_Luca -> De Luca

TOPICS = [
    "monetary policy", "inflation expectations", "labour market", "minimum wages", "trade liberalization",
    "foreign direct investment", "income inequality", "economic growth", "financial crises", "bank lending",
    "housing prices", "climate policy", "carbon taxes", "renewable energy", "human capital",
    "returns to education", "health insurance", "pension reform", "fiscal multipliers", "public debt",
    "exchange rates", "capital flows", "innovation", "R&D spending", "patents", "productivity growth",
    "firm dynamics", "entrepreneurship", "migration", "remittances", "agricultural productivity",
    "food prices", "poverty", "microfinance", "corporate governance", "executive compensation",
    "stock returns", "asset pricing", "credit constraints", "household consumption", "tax evasion",
    "regional development", "smart specialisation", "transport infrastructure", "urban agglomeration",
    "the gender wage gap", "child care", "fertility", "unemployment insurance", "job search", "automation",
    "artificial intelligence", "digital platforms", "market power", "mergers", "competition policy",
    "electricity markets", "oil prices", "sovereign debt", "central bank communication", "quantitative easing",
    "the zero lower bound", "business cycles", "uncertainty shocks", "global value chains", "tariffs",
    "economic sanctions", "institutions", "corruption", "democracy", "armed conflict", "education policy",
    "school choice", "early childhood interventions", "social networks", "trust", "behavioural biases",
    "loss aversion", "auctions", "matching markets", "contract design", "insurance markets",
    "mortgage markets", "household debt", "wealth inequality", "intergenerational mobility",
    "structural transformation", "informality", "tourism", "water scarcity", "deforestation",
    "air pollution", "natural disasters", "industrial policy", "public procurement", "venture capital",
    "bank regulation", "systemic risk", "cryptocurrencies", "fintech", "wage bargaining", "trade unions",
    "immigration policy", "refugees", "ageing", "long-term care", "obesity", "mental health",
    "crime", "police", "judicial efficiency", "property rights", "land reform", "commodity prices",
    "export diversification", "firm exports", "knowledge spillovers", "university-industry links",
    "research funding", "the digital divide", "broadband", "energy efficiency", "emissions trading",
]  # fmt: skip

PLACES = [
    "Germany", "the United States", "China", "India", "Brazil", "Sub-Saharan Africa", "the euro area",
    "OECD countries", "Spain", "Italy", "France", "the United Kingdom", "Sweden", "Mexico", "Indonesia",
    "Vietnam", "Kenya", "Chile", "Japan", "Korea", "Poland", "Turkey", "Nigeria", "South Africa",
    "European regions", "Latin America", "emerging markets", "developing countries", "Canada", "Australia",
    "Norway", "Denmark", "the Netherlands", "Colombia", "Peru", "Ethiopia", "Bangladesh", "Pakistan",
    "Egypt", "Russia", "Portugal", "Greece", "Hungary", "the Czech Republic", "Switzerland", "Austria",
    "Belgium", "Finland", "Ireland", "Argentina", "Ghana", "Tanzania", "the Philippines", "Thailand",
]  # fmt: skip

METHODS = [
    "panel data", "a natural experiment", "a randomized controlled trial", "firm-level data",
    "administrative data", "a structural model", "a DSGE model", "machine learning",
    "a regression discontinuity design", "difference-in-differences", "survey evidence", "historical data",
    "text analysis", "a general equilibrium model", "matched employer-employee data", "high-frequency data",
    "satellite data", "a meta-analysis", "an agent-based model", "quantile regressions",
    "a synthetic control method", "instrumental variables", "a gravity model", "a vector autoregression",
    "a laboratory experiment", "a field experiment", "census microdata", "scanner data",
]  # fmt: skip

ASPECTS = [
    "determinants", "dynamics", "welfare effects", "distributional consequences", "political economy",
    "measurement", "optimal design", "persistence", "origins", "long-run effects", "macroeconomic effects",
    "spillovers", "heterogeneous effects", "costs", "anatomy", "geography", "drivers", "limits",
]  # fmt: skip

MODEL_ADJECTIVES = [
    "dynamic", "structural", "simple", "unified", "quantitative", "general equilibrium", "behavioural",
    "search-and-matching", "heterogeneous-agent", "stochastic", "two-sector", "spatial", "network",
]  # fmt: skip

GROUPS = [
    "small firms", "low-income households", "women", "young workers", "exporters", "rural areas",
    "credit-constrained firms", "migrants", "older workers", "manufacturing firms", "poorer regions",
    "first-time buyers", "public sector employees", "start-ups", "high-skilled workers",
]  # fmt: skip

POLICIES = [
    "monetary policy", "tax design", "regional policy", "financial regulation", "labour market institutions",
    "climate policy", "development aid", "education policy", "competition policy", "trade policy",
    "social insurance", "innovation policy", "public health",
]  # fmt: skip

VERBS = [
    "can raise", "may lower", "need not affect", "can amplify", "may dampen", "can crowd out",
    "can shift the composition of", "will reduce", "would increase",
]  # fmt: skip

TITLE_PATTERNS = [  # each with enough slots that unrelated items rarely share a title
    "{T} and {t}: evidence from {p} and {p}",
    "The effect of {t} on {t}: evidence from {m} for {p}",
    "The impact of {t} on {t} among {g} in {p}",
    "Is there a link between {t} and {t}? Evidence from {p}, {y1}-{y2}",
    "{T} and {t} in {p}: evidence from {m}",
    "On the {a} of {t} in {p}, {y1}-{y2}",
    "The {a} of {t}: {m} for {p}",
    "{T}, {t} and {t}",
    "A {j} model of {t}, {t} and {t}",
    "Essays on {t}, {t} and {t}",
    "Estimating the {a} of {t} in {p} with {m}",
    "Who benefits from {t}? {T} and {g} in {p}",
    "{T} and {t} over the business cycle: evidence from {p}",
    "Revisiting {t} and {t} in {p}: new evidence from {m}",
    "{T} and {t} in {p}, {y1}-{y2}",
    "{T} and the {a} of {t} in {p}",
    "Understanding {t} and {t} among {g} in {p}",
    "{T} and {t}: a review of the literature since {y1}",
]

ABSTRACT_OPENINGS = [
    "This paper studies {t} in {p} using {m}.",
    "We examine the link between {t} and {t}.",
    "We investigate the {a} of {t} in {p}.",
    "This study analyses the relationship between {t} and {t}.",
    "We develop a {j} model in which {t} interacts with {t}.",
    "Little is known about the {a} of {t}.",
]

ABSTRACT_MIDDLES = [
    "Using {m} covering {n} {u}, we find that {t} {v} {t}.",
    "The effect is stronger for {g} and in {p}.",
    "Our estimates imply that a one standard deviation increase in {t} changes {t} by {x} percent.",
    "We show that standard estimates of {t} are biased when {t} is ignored.",
    "Counterfactual simulations indicate welfare gains of {x} percent.",
    "The results are robust to alternative specifications, samples and estimation methods.",
    "We document substantial heterogeneity across {g}.",
    "Exploiting variation in {t} across {p}, we identify the causal effect of {t}.",
]

ABSTRACT_CLOSINGS = [
    "Our results suggest a key role for {t} in explaining {t}.",
    "We discuss implications for {o}.",
    "The findings call for a reassessment of {o}.",
    "These results inform the debate on {t}.",
]

UNITS = ["firms", "households", "countries", "regions", "workers", "banks", "municipalities", "students"]

KEYWORD_EXTRA = [
    "econometrics", "panel data", "time series", "cointegration", "Bayesian estimation", "DSGE",
    "causal inference", "difference-in-differences", "instrumental variables", "machine learning",
    "game theory", "mechanism design", "general equilibrium", "welfare", "efficiency", "Europe",
    "European Union", "Africa", "Asia", "COVID-19", "pandemic", "Great Recession", "globalization",
    "regional policy", "EU cohesion policy", "employment", "unemployment", "wages", "prices", "inflation",
    "interest rates", "banks", "credit", "investment", "savings", "consumption", "taxation", "subsidies",
    "public finance", "public goods", "externalities", "environment", "energy", "sustainability",
    "agriculture", "food security", "health", "education", "gender", "discrimination", "networks",
    "experiments", "survey", "forecasting", "nowcasting", "expectations", "learning", "rationality",
]  # fmt: skip

PAPER_SERIES_NAMES = [
    "Working Papers", "Discussion Papers", "Working Paper Series", "Economics Working Papers",
    "Department of Economics Working Papers", "Staff Reports", "Research Memorandum",
    "Economics Discussion Papers", "Policy Research Working Paper Series", "Cahiers de recherche",
    "Documentos de Trabajo", "Diskussionspapiere", "Quaderni di Dipartimento", "Occasional Papers",
    "Research Papers in Economics", "Working Papers in Economics", "Technical Reports", "Policy Briefs",
    "Economics Series Working Papers", "Finance and Economics Discussion Series",
]  # fmt: skip

JOURNAL_PATTERNS = [
    "Journal of {f}", "{f} Review", "Review of {f}", "{f} Letters", "{f} Quarterly", "Applied {f}",
    "International Journal of {f}", "Journal of {f} and {g}", "European Journal of {f}", "{f} Studies",
    "Annals of {f}", "Bulletin of {f}",
]  # fmt: skip

FIELDS = [
    "Regional Economics", "Monetary Economics", "Labor Economics", "Public Economics", "Development Economics",
    "Economic Dynamics", "Financial Economics", "International Economics", "Environmental Economics",
    "Health Economics", "Econometrics", "Economic Growth", "Economic Behavior", "Economic Theory",
    "Applied Economics", "Energy Economics", "Agricultural Economics", "Urban Economics", "Economic History",
    "Industrial Organization", "Banking and Finance", "Economic Policy", "Transport Economics",
    "Population Economics", "Economic Inequality", "Political Economy", "Comparative Economics",
    "Risk and Insurance", "Innovation Economics", "Resource Economics", "Empirical Finance",
]  # fmt: skip

CITIES = [
    "Aarhus", "Amsterdam", "Barcelona", "Berlin", "Bologna", "Bonn", "Boston", "Brussels", "Budapest",
    "Cambridge", "Chicago", "Copenhagen", "Dublin", "Edinburgh", "Florence", "Frankfurt", "Geneva",
    "Göteborg", "Graz", "Hamburg", "Helsinki", "Kiel", "Kraków", "Leuven", "Lisbon", "Ljubljana", "London",
    "Lyon", "Madrid", "Mannheim", "Milan", "Montréal", "Munich", "Nottingham", "Oslo", "Oxford", "Paris",
    "Prague", "Rome", "Rotterdam", "São Paulo", "Santiago", "Seville", "Stockholm", "Tilburg", "Tokyo",
    "Toronto", "Toulouse", "Turin", "Uppsala", "Utrecht", "Valencia", "Vienna", "Warsaw", "Zürich",
    "Buenos Aires", "Bogotá", "Mexico City", "Istanbul", "Athens", "Nairobi", "Cape Town", "Delhi",
    "Mumbai", "Beijing", "Shanghai", "Seoul", "Sydney", "Melbourne", "Wellington", "Vancouver", "New York",
    "Philadelphia", "Atlanta", "Dallas", "St. Louis", "Kansas City", "San Francisco", "Minneapolis",
]  # fmt: skip

INSTITUTION_PATTERNS = [
    "University of {c}, Department of Economics", "{c} School of Economics", "Federal Reserve Bank of {c}",
    "Institute for Economic Research {c}", "Centre for Economic Studies, {c}", "{c} Business School",
    "Central Bank of {c}", "{c} Institute of Technology, Economics Group", "Faculty of Economics, {c}",
    "{c} Centre for Regional Research",
]  # fmt: skip

PUBLISHERS = [
    "Elsevier", "Springer", "Wiley Blackwell", "Taylor & Francis Journals", "Oxford University Press",
    "Cambridge University Press", "De Gruyter", "MDPI", "Emerald Group Publishing", "SAGE Publishing",
    "Edward Elgar Publishing", "Palgrave Macmillan", "Routledge", "World Scientific Publishing",
]  # fmt: skip

PROGRAMMING_LANGUAGES = ["Stata", "R", "MATLAB", "Python", "Julia", "Gauss", "Fortran"]
LANGUAGES = ["en"] * 16 + ["de", "fr", "es", "it", "pt"]


NEP_REPORTS = [
    ("nep-acc", "Accounting and Auditing"), ("nep-age", "Economics of Ageing"),
    ("nep-agr", "Agricultural Economics"), ("nep-ban", "Banking"), ("nep-bec", "Business Economics"),
    ("nep-cba", "Central Banking"), ("nep-cdm", "Collective Decision-Making"), ("nep-cfn", "Corporate Finance"),
    ("nep-cmp", "Computational Economics"), ("nep-com", "Industrial Competition"),
    ("nep-cul", "Cultural Economics"), ("nep-dev", "Development"), ("nep-dge", "Dynamic General Equilibrium"),
    ("nep-ecm", "Econometrics"), ("nep-edu", "Education"), ("nep-eec", "European Economics"),
    ("nep-ene", "Energy Economics"), ("nep-env", "Environmental Economics"), ("nep-exp", "Experimental Economics"),
    ("nep-fmk", "Financial Markets"), ("nep-gro", "Economic Growth"), ("nep-hea", "Health Economics"),
    ("nep-his", "Business, Economic and Financial History"), ("nep-ino", "Innovation"),
    ("nep-int", "International Trade"), ("nep-lab", "Labour Economics"), ("nep-law", "Law and Economics"),
    ("nep-mac", "Macroeconomics"), ("nep-mon", "Monetary Economics"), ("nep-pbe", "Public Economics"),
    ("nep-ure", "Urban and Real Estate Economics"), ("nep-tre", "Transport Economics"),
]  # fmt: skip
