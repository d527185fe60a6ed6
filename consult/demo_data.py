"""Demo content for the five missions: what each team knows, who is on it,
what it is trying to learn, how its headline metrics are moving, how its
pathway has changed, and one open challenge call with ideas and comments.

All people and organisations named here are fictional. Figures are
illustrative and only broadly in line with published statistics; they are
not official data.

Pure data: loaded by consult.demo. Participant authors are 0 or 1 (the two
demo participant accounts); a comment author of "team" is the mission team
account.
"""

# Sector slugs used below are those of consult.site_setup.SECTORS.


MISSIONS = [
    # ------------------------------------------------------------------
    # 1. Growth
    # ------------------------------------------------------------------
    {
        "slug": "growth",
        "title": "Kickstart economic growth",
        "goal": "Secure the highest sustained growth in the G7, with good jobs and rising living standards in every part of the country.",
        "what_we_know": (
            "<p>We know that productivity growth in the UK has been weak since 2008, and that the gap between "
            "London and the rest of the country is wider than in most comparable economies. Firms tell us "
            "consistently that <strong>planning delays, skills shortages and slow access to finance</strong> "
            "hold back investment they would otherwise make.</p>"
            "<p>What we do not yet know well enough is which of these constraints binds hardest in which places, "
            "and which interventions change business decisions rather than paying for investment that would have "
            "happened anyway. This page sets out the questions we are working on, what we have learned so far and "
            "how the headline measures are moving.</p>"
        ),
        "owner_name": "Helen Marsh-Okafor",
        "owner_role": "Senior Responsible Owner; Director General for Growth and Productivity",
        "team": [
            {"name": "Daniel Pryce", "role": "Head of Analysis, Growth Mission"},
            {"name": "Ayesha Qureshi", "role": "Policy Lead, Local Growth"},
            {"name": "Tom Whitfield", "role": "Delivery Manager"},
            {"name": "Rhiannon Lewis", "role": "Lead User Researcher"},
        ],
        "learning_questions": [
            {
                "question": "Which planning and consenting steps add the most delay to investment decisions by medium-sized firms?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "Why do small firms outside London and the South East adopt proven digital tools more slowly?",
                "status": "open",
                "answer": "",
            },
            {
                "question": "Does local control of adult skills funding lead to better job outcomes than national programmes?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "Is access to growth finance a binding constraint for firms with 50 to 250 employees outside London?",
                "status": "answered",
                "answer": (
                    "Partly. Our 2025 survey of 2,400 firms found finance was the main constraint for 18% of growing "
                    "firms outside London, behind skills (31%) and suitable premises (22%); it matters most in "
                    "manufacturing and life sciences."
                ),
            },
            {
                "question": "What would help people with health conditions stay in work or return to it?",
                "status": "open",
                "answer": "",
            },
        ],
        "metrics": [
            {
                "name": "Real GDP per head, annual growth",
                "unit": "%",
                "direction": "up",
                "baseline": "3.80",
                "baseline_date": "2022-12-31",
                "target": "1.50",
                "target_date": "2029-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "3.80", "source": "ONS quarterly national accounts",
                     "commentary": "Growth in 2022 largely reflects recovery from the pandemic. We treat it as a high starting point, not an underlying trend."},
                    {"date": "2023-12-31", "value": "-0.60", "source": "ONS quarterly national accounts",
                     "commentary": "Output per head fell as high inflation and interest rates held back spending, and the population grew faster than output."},
                    {"date": "2024-12-31", "value": "0.30", "source": "ONS quarterly national accounts",
                     "commentary": "A modest recovery. Business surveys point to investment being held back by uncertainty about planning and grid connections."},
                    {"date": "2025-12-31", "value": "0.70", "source": "ONS quarterly national accounts",
                     "commentary": "Growth has picked up but is still well below the pre-2008 average of around 2%. We now also track GVA per head by region."},
                ],
            },
            {
                "name": "Real household disposable income per head, annual growth",
                "unit": "%",
                "direction": "up",
                "baseline": "-1.10",
                "baseline_date": "2022-12-31",
                "target": "1.50",
                "target_date": "2029-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "-1.10", "source": "ONS household sector accounts",
                     "commentary": "Energy and food price rises cut real incomes sharply, with the biggest effect on lower-income households."},
                    {"date": "2023-12-31", "value": "0.60", "source": "ONS household sector accounts",
                     "commentary": "Incomes began to recover as inflation eased, but remained below their 2021 level in real terms."},
                    {"date": "2024-12-31", "value": "2.40", "source": "ONS household sector accounts",
                     "commentary": "A strong year, driven by wage growth running ahead of inflation. Some of this reflects one-off catch-up and is unlikely to be repeated."},
                    {"date": "2025-12-31", "value": "0.90", "source": "ONS household sector accounts",
                     "commentary": "Growth slowed as wage settlements fell back. This series is revised often, so we read it alongside survey measures of living standards."},
                    {"date": "2026-03-31", "value": "1.10", "source": "ONS household sector accounts (quarter on same quarter a year ago)",
                     "commentary": "Early figure for the first quarter of 2026, likely to be revised. Too soon to say whether this is a turning point."},
                ],
            },
            {
                "name": "Business investment as a share of GDP",
                "unit": "%",
                "direction": "up",
                "baseline": "9.80",
                "baseline_date": "2022-12-31",
                "target": "11.50",
                "target_date": "2030-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "9.80", "source": "ONS business investment statistics",
                     "commentary": "The UK has had the lowest business investment share in the G7 for most of the past 20 years."},
                    {"date": "2023-12-31", "value": "10.10", "source": "ONS business investment statistics",
                     "commentary": "A small rise, helped by full expensing of plant and machinery. Most of the increase came from larger firms."},
                    {"date": "2024-12-31", "value": "10.30", "source": "ONS business investment statistics",
                     "commentary": "Investment in transport equipment and software grew; investment in buildings was flat."},
                    {"date": "2025-12-31", "value": "10.00", "source": "ONS business investment statistics",
                     "commentary": "A fall as some firms delayed decisions. Our firm survey suggests planning and connection delays are part of the reason, which is why we are asking about them."},
                    {"date": "2026-06-30", "value": "10.20", "source": "ONS business investment statistics (provisional)",
                     "commentary": "Provisional half-year figure. Business investment figures are among the most heavily revised, so we will not draw conclusions until the annual data."},
                ],
            },
            {
                "name": "Employment rate, people aged 16 to 64",
                "unit": "%",
                "direction": "up",
                "baseline": "75.60",
                "baseline_date": "2022-12-31",
                "target": "80.00",
                "target_date": "2030-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "75.60", "source": "ONS Labour Force Survey",
                     "commentary": "Employment was still below its pre-pandemic peak, mainly because more people aged 50 to 64 had left work."},
                    {"date": "2023-12-31", "value": "75.00", "source": "ONS Labour Force Survey",
                     "commentary": "A fall, with long-term sickness now the most common reason for economic inactivity. Survey response rates are low, so treat small changes with caution."},
                    {"date": "2024-12-31", "value": "74.80", "source": "ONS Labour Force Survey",
                     "commentary": "Broadly flat. Payroll data tell a slightly more positive story than the survey, and we report both to the mission board."},
                    {"date": "2025-12-31", "value": "75.10", "source": "ONS Labour Force Survey",
                     "commentary": "A small improvement. Reaching 80% would need around two million more people in work, so we are focusing on health-related inactivity."},
                ],
            },
        ],
        "pathway_versions": [
            {
                "version": "v1",
                "date": "2024-11-01",
                "summary": (
                    "<p>Our first pathway set out three routes to growth: <strong>planning reform</strong> to speed up "
                    "investment, <strong>a national wealth fund</strong> to crowd in private capital, and "
                    "<strong>local growth plans</strong> agreed with mayors.</p>"
                ),
                "changes": "",
            },
            {
                "version": "v2",
                "date": "2025-06-16",
                "summary": (
                    "<p>We added a fourth route on <strong>work and health</strong>, and narrowed the local growth "
                    "route to places where firms report the biggest constraints.</p>"
                ),
                "changes": (
                    "Evidence from our firm survey and from employment data showed that labour supply, especially "
                    "people leaving work because of ill health, was holding back growth as much as investment was. "
                    "We also dropped a plan for a new business advice service after testing showed firms preferred "
                    "advice from peers and existing networks."
                ),
            },
            {
                "version": "v3",
                "date": "2026-02-09",
                "summary": (
                    "<p>We have set out which planning and consenting steps we will tackle first, and moved funding "
                    "towards firms with 50 to 250 employees, where we think the gains are largest.</p>"
                ),
                "changes": (
                    "Our finance question is now answered: finance matters, but less than skills and premises for most "
                    "growing firms. We have moved some money from finance schemes into skills and premises, and kept "
                    "finance support for manufacturing and life sciences."
                ),
            },
        ],
        "call": {
            "slug": "everyday-barriers-to-investment",
            "title": "Ideas to remove everyday barriers to business investment in your area",
            "brief": (
                "<p>We want to hear from people who run, work in or support businesses about the practical things "
                "that stop firms investing, hiring or growing where they are. We are especially interested in "
                "<strong>planning and premises</strong>, <strong>skills</strong> and <strong>keeping people with "
                "health conditions in work</strong>.</p>"
                "<p>Good ideas are specific: say what should change, who would need to do it and how we would know "
                "it had worked. You do not need a full business case.</p>"
                "<p>The mission team reads every idea. We will use them to shape the next version of our pathway and "
                "to choose a small number of ideas to test with local partners in 2026. We will publish what we did "
                "with the ideas that received most support.</p>"
            ),
            "eligibility": "both",
            "sectors": ["business", "public-body", "academia", "community-group"],
            "moderation_mode": "post",
            "voting_mode": "support",
            "support_limit": 10,
            "authors_can_vote": False,
            "comments_open": True,
        },
        "ideas": [
            {
                "title": "Publish a live tracker for every commercial planning application over 1,000 square metres",
                "summary": (
                    "Firms cannot plan investment when they have no idea where their application is. A public tracker "
                    "showing each stage, who holds it and how long it has been there would expose where delays build "
                    "up and help councils manage their workload."
                ),
                "body": (
                    "We extended our fabrication works in 2024. The planning decision took 11 months against an "
                    "8-week target, and for most of that time nobody could tell us what was happening.\n\n"
                    "A live tracker for larger commercial applications should show:\n\n"
                    "- the current stage and the date it started\n"
                    "- which statutory consultees have replied, and which are overdue\n"
                    "- the named case officer\n\n"
                    "This is not about blaming planning officers, who are stretched. It is about making the "
                    "**bottlenecks visible**, so that councils and government can see where extra capacity is needed."
                ),
                "tags": ["planning", "transparency", "premises"],
                "organisation": "Northgate Fabrication Ltd",
                "sector": "business",
                "questions": [0],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Agree on the consultees point. In our case the delay was almost entirely waiting for a "
                            "highways response. A tracker would at least show where the problem actually is."
                        ),
                        "replies": [
                            {"author": 0, "body": "Same for us: highways and drainage. It would be useful to see whether that pattern holds across councils."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "Thank you. Several councils already publish some of this, but not in a consistent way. "
                            "Would a tracker be useful to you if it only covered the stages after validation, or is "
                            "validation itself a major source of delay?"
                        ),
                        "replies": [
                            {"author": 0, "body": "Validation was about six weeks for us, mostly back-and-forth on drawings. I would include it."},
                        ],
                    },
                ],
            },
            {
                "title": "Fund peer visits so small manufacturers can see new technology working in a similar firm",
                "summary": (
                    "Owners of small firms trust other owners more than consultants. A modest fund to pay for paid "
                    "half-day visits to firms that have already adopted tools such as production scheduling software or "
                    "cobots would speed up adoption at low cost."
                ),
                "body": (
                    "Our members repeatedly say the same thing: they have seen the brochures, but they want to see the "
                    "kit working in a firm like theirs, and to ask the owner what went wrong.\n\n"
                    "We propose a small fund that pays host firms a flat fee for a half-day visit, and covers travel for "
                    "visitors. We ran 14 visits on goodwill in 2025, and **five visiting firms have since bought similar "
                    "systems**.\n\n"
                    "The cost is low, and it uses networks that already exist rather than building a new advice service."
                ),
                "tags": ["digital adoption", "manufacturing", "peer learning"],
                "organisation": "Midlands Makers Forum",
                "sector": "business",
                "questions": [1],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Five out of fourteen is encouraging, but were those firms already planning to buy? It "
                            "would be worth comparing with similar firms who did not visit."
                        ),
                        "replies": [
                            {"author": 1, "body": "Fair challenge. Two of the five told us they had already budgeted for it. We would welcome help designing a proper comparison."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "This fits what we have heard in user research about trust in peer advice. We are "
                            "interested in testing it with a comparison group, as suggested above."
                        ),
                    },
                ],
            },
            {
                "title": "Let combined authorities pool adult skills and employment support budgets into one local fund",
                "summary": (
                    "Adult skills, employment support and local business support are funded through separate "
                    "programmes with different rules. A single local fund, with agreed outcome measures, would let "
                    "areas design support around local employers and the people who need work."
                ),
                "body": (
                    "We currently manage five separate funding streams for adult skills and employment support, each "
                    "with its own eligibility rules, reporting and timetable. Residents fall through the gaps between "
                    "them.\n\n"
                    "We propose a **single pooled fund** for a trial period of three years, in return for agreed "
                    "outcome measures: sustained employment at 6 and 12 months, and earnings growth.\n\n"
                    "We would publish results against a comparison area so the mission team can judge whether local "
                    "control makes a difference."
                ),
                "tags": ["skills", "devolution", "employment"],
                "organisation": "West Pennine Combined Authority",
                "sector": "public-body",
                "questions": [2, 4],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Pooling makes sense, but there is a risk that the hardest-to-help groups lose out if the "
                            "outcome measures reward quick job starts. How would you protect them?"
                        ),
                        "replies": [
                            {"author": 0, "body": "We would weight outcomes for people out of work for over a year and for disabled residents. Happy to share the draft framework."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "This speaks directly to one of our open questions. A comparison area is essential. Do you "
                            "have one in mind with similar labour market conditions?"
                        ),
                    },
                    {
                        "author": 1,
                        "body": (
                            "Evidence from earlier pilots is mixed: local flexibility helped, but set-up took about a "
                            "year. Three years may be too short to see earnings effects."
                        ),
                    },
                ],
            },
            {
                "title": "Work and health advisers based in GP practices for people at risk of leaving their job",
                "summary": (
                    "Many people only discuss work with a health professional when they are already signed off. An "
                    "adviser in the GP practice, seen alongside a fit note, could help people agree changes with their "
                    "employer before they fall out of work."
                ),
                "body": (
                    "I was signed off for four months with back problems. Nobody asked whether a change to my hours or "
                    "duties would have let me keep working, and by the time I was better my contract had ended.\n\n"
                    "A work and health adviser based in the practice could:\n\n"
                    "- talk to patients when a fit note is first issued\n"
                    "- help them ask their employer for reasonable changes\n"
                    "- refer to physiotherapy or talking therapies quickly\n\n"
                    "The point is to act **in the first few weeks**, not after months of absence."
                ),
                "tags": ["health", "employment", "fit notes"],
                "organisation": "",
                "sector": "",
                "questions": [4],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Strongly agree. Small employers often have no HR or occupational health support, so this "
                            "would help them too."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "Thank you for sharing your experience. Some areas already place employment advisers in "
                            "GP practices. We are looking at what happened there, particularly whether early contact "
                            "made a difference."
                        ),
                    },
                ],
            },
            {
                "title": "A regional co-investment fund that matches business angel investment in growing firms",
                "summary": (
                    "Growing firms outside London struggle to raise rounds between £250,000 and £2 million. A regional "
                    "fund that invests alongside established angel networks, on the same terms, would increase the "
                    "amount available without government picking winners."
                ),
                "body": (
                    "Our research on firms in the South West found that the gap is not early seed money, which is "
                    "reasonably available, but the **second round** of £250,000 to £2 million.\n\n"
                    "A co-investment fund that matches angel investment one-for-one, on the same terms, keeps decisions "
                    "with experienced investors and brings more money into the region.\n\n"
                    "We recognise the mission team has found finance is not the main constraint for most firms. This "
                    "idea is aimed at the minority for whom it is, mainly in manufacturing and life sciences."
                ),
                "tags": ["finance", "regions", "scale-ups"],
                "organisation": "Severn Valley Business School",
                "sector": "academia",
                "questions": [3],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Similar co-investment funds have existed before. What would be different this time, and "
                            "what did evaluations of earlier funds find?"
                        ),
                        "replies": [
                            {"author": 0, "body": "Earlier evaluations found additionality was reasonable but funds were too small to matter. We suggest fewer, larger regional funds."},
                        ],
                    },
                ],
            },
            {
                "title": "Standard short leases for small industrial units owned by councils",
                "summary": (
                    "Small firms looking to expand into a council-owned unit often face long, costly lease negotiations. "
                    "A standard short lease with clear terms would let them move in weeks rather than months."
                ),
                "body": (
                    "I run a small joinery business. When we tried to take on a second council-owned unit, the lease "
                    "took five months and cost us nearly £3,000 in legal fees for a three-year lease.\n\n"
                    "Councils could agree a **standard short lease** for small units, with fixed terms on repairs, "
                    "break clauses and rent review. Firms would know what they were signing, and councils would save "
                    "legal time too."
                ),
                "tags": ["premises", "small business", "councils"],
                "organisation": "",
                "sector": "",
                "questions": [0],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Good idea. Some councils may need to get best value on every letting, so it would be "
                            "worth checking whether a standard lease fits their legal duties."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "Premises came up as the second biggest constraint in our firm survey, so this is useful. "
                            "We are checking whether any councils already use a standard lease."
                        ),
                    },
                    {
                        "author": 1,
                        "body": "One council near us did use a model lease for its start-up units. It worked well, but it was not used for larger units.",
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------
    # 2. Clean energy
    # ------------------------------------------------------------------
    {
        "slug": "clean-energy",
        "title": "Make Britain a clean energy superpower",
        "goal": "Deliver clean power by 2030 and speed up the move to net zero, cutting household bills and creating good jobs across the country.",
        "what_we_know": (
            "<p>We know the UK can build clean generation quickly: offshore wind and solar costs have fallen sharply, "
            "and more than half of our electricity already comes from clean sources. We also know that "
            "<strong>the electricity network, not generation, is now the main constraint</strong>. Hundreds of "
            "gigawatts of projects have been waiting in the connection queue, many of them unlikely ever to be "
            "built.</p>"
            "<p>We are less sure which reforms will free up connection capacity fastest, where skills shortages will "
            "bite, and how to make sure communities near new infrastructure share in the benefits. These are the "
            "questions we are working on now.</p>"
        ),
        "owner_name": "Dr Graham Ellery",
        "owner_role": "Senior Responsible Owner; Director General, Clean Power 2030",
        "team": [
            {"name": "Fiona MacLeod", "role": "Head of Networks and Connections Policy"},
            {"name": "Kwame Asante", "role": "Lead Energy Analyst"},
            {"name": "Bethan Rowlands", "role": "Community Energy Lead"},
        ],
        "learning_questions": [
            {
                "question": "Which connection reforms would release the most viable capacity from the grid queue soonest?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "What stops households installing a heat pump after they have had a survey?",
                "status": "answered",
                "answer": (
                    "Cost after grant is the main reason, followed by worries about disruption and running costs. In "
                    "our trials, a fixed-price quote at survey stage and a named installer contact raised take-up "
                    "from 21% to 34%."
                ),
            },
            {
                "question": "How can communities share in the benefits of new transmission lines and wind farms near them?",
                "status": "open",
                "answer": "",
            },
            {
                "question": "Where are skills shortages most likely to delay clean power projects before 2030?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "Does local area energy planning lead to faster or cheaper network investment?",
                "status": "open",
                "answer": "",
            },
        ],
        "metrics": [
            {
                "name": "Share of electricity generation from clean sources",
                "unit": "%",
                "direction": "up",
                "baseline": "56.20",
                "baseline_date": "2022-12-31",
                "target": "95.00",
                "target_date": "2030-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "56.20", "source": "DESNZ Energy Trends",
                     "commentary": "Renewables and nuclear together. Nuclear output is falling as older stations close, so renewables must grow faster to make up the gap."},
                    {"date": "2023-12-31", "value": "59.40", "source": "DESNZ Energy Trends",
                     "commentary": "A record year for wind output, helped by new offshore capacity and lower overall demand."},
                    {"date": "2024-12-31", "value": "64.10", "source": "DESNZ Energy Trends",
                     "commentary": "The last coal power station closed in September 2024. Gas still sets the price for much of the year."},
                    {"date": "2025-12-31", "value": "66.80", "source": "DESNZ Energy Trends",
                     "commentary": "Progress continued, but a calm winter meant more gas generation than expected. We need to add around 8 percentage points a year to reach the target."},
                    {"date": "2026-06-30", "value": "70.30", "source": "DESNZ Energy Trends (first half of 2026)",
                     "commentary": "Half-year figures are flattered by strong solar output in spring and summer, so this is not directly comparable with full-year figures."},
                ],
            },
            {
                "name": "Projects waiting in the transmission connection queue",
                "unit": "GW",
                "direction": "down",
                "baseline": "420.00",
                "baseline_date": "2022-12-31",
                "target": "250.00",
                "target_date": "2027-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "420.00", "source": "NESO connections data",
                     "commentary": "The queue is several times larger than the capacity needed for 2030. Many projects hold places without being ready to build."},
                    {"date": "2023-12-31", "value": "620.00", "source": "NESO connections data",
                     "commentary": "The queue kept growing, mainly from speculative battery applications. Some projects were being offered dates in the late 2030s."},
                    {"date": "2024-12-31", "value": "739.00", "source": "NESO connections data",
                     "commentary": "Applications were paused while the new process was agreed. This is the peak we are working from."},
                    {"date": "2025-06-30", "value": "752.00", "source": "NESO connections data",
                     "commentary": "Small increase as applications made before the pause were processed."},
                    {"date": "2025-12-31", "value": "388.00", "source": "NESO connections data",
                     "commentary": "The first round of queue reform removed projects not ready to proceed and prioritised those aligned with the clean power plan. We are watching whether viable projects were wrongly removed."},
                ],
            },
            {
                "name": "Offshore wind operational capacity",
                "unit": "GW",
                "direction": "up",
                "baseline": "13.90",
                "baseline_date": "2022-12-31",
                "target": "43.00",
                "target_date": "2030-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "13.90", "source": "DESNZ Energy Trends",
                     "commentary": "The UK has the second-largest installed offshore wind capacity in the world."},
                    {"date": "2023-12-31", "value": "14.70", "source": "DESNZ Energy Trends",
                     "commentary": "Slower growth than planned. Higher costs led some developers to pause projects after the 2023 auction received no offshore bids."},
                    {"date": "2024-12-31", "value": "15.40", "source": "DESNZ Energy Trends",
                     "commentary": "The 2024 auction was more successful after prices were reset, but those projects will not generate for several years."},
                    {"date": "2025-12-31", "value": "16.60", "source": "DESNZ Energy Trends",
                     "commentary": "We are behind the straight-line path to 43 GW. Most new capacity is due from 2027, so the risk is concentrated in supply chains and ports."},
                ],
            },
            {
                "name": "Households in fuel poverty, England",
                "unit": "% of households",
                "direction": "down",
                "baseline": "13.10",
                "baseline_date": "2022-12-31",
                "target": "9.00",
                "target_date": "2030-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "13.10", "source": "DESNZ annual fuel poverty statistics",
                     "commentary": "Measured under the low income, low energy efficiency definition. The energy price guarantee limited the rise during the price spike."},
                    {"date": "2023-12-31", "value": "13.00", "source": "DESNZ annual fuel poverty statistics",
                     "commentary": "Broadly unchanged. The average fuel poverty gap grew, meaning households in fuel poverty are further from escaping it."},
                    {"date": "2024-12-31", "value": "11.40", "source": "DESNZ annual fuel poverty statistics (projection)",
                     "commentary": "A projected fall, mostly from incomes rising faster than prices and from insulation in social housing."},
                    {"date": "2025-12-31", "value": "11.10", "source": "DESNZ annual fuel poverty statistics (projection)",
                     "commentary": "Projection only. Private rented homes remain the biggest concern, and new minimum efficiency standards will not take full effect until 2030."},
                ],
            },
            {
                "name": "Heat pumps installed under the Microgeneration Certification Scheme",
                "unit": "thousand a year",
                "direction": "up",
                "baseline": "39.20",
                "baseline_date": "2022-12-31",
                "target": "200.00",
                "target_date": "2030-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "39.20", "source": "MCS Installation Database",
                     "commentary": "Heat pumps are still a small part of the heating market, where around 1.5 million gas boilers are fitted each year."},
                    {"date": "2023-12-31", "value": "42.50", "source": "MCS Installation Database",
                     "commentary": "Modest growth. Take-up of the Boiler Upgrade Scheme was lower than expected until the grant was increased in October."},
                    {"date": "2024-12-31", "value": "60.10", "source": "MCS Installation Database",
                     "commentary": "A rise of over 40%, following the larger grant. Our household research now explains much of the drop-off after survey."},
                    {"date": "2025-12-31", "value": "78.40", "source": "MCS Installation Database",
                     "commentary": "Growth continued, but installer numbers are now a constraint in some regions. We will report installer numbers alongside this measure from 2026."},
                ],
            },
        ],
        "pathway_versions": [
            {
                "version": "v1",
                "date": "2024-11-01",
                "summary": (
                    "<p>Our first pathway focused on <strong>building generation</strong>: a larger renewables auction, "
                    "a publicly owned energy company to co-invest, and faster consenting for onshore wind and solar.</p>"
                ),
                "changes": "",
            },
            {
                "version": "v2",
                "date": "2025-04-28",
                "summary": (
                    "<p>We moved <strong>grid connections and network build</strong> to the centre of the pathway, "
                    "with a reformed connection queue and a target timetable for major transmission projects. We also "
                    "added a strand on community benefits.</p>"
                ),
                "changes": (
                    "Analysis of the connection queue showed that there were more than enough projects to meet the 2030 "
                    "goal; the problem was connecting the right ones in time. Feedback from communities affected by new "
                    "transmission lines showed that without visible local benefits, opposition would slow the build."
                ),
            },
        ],
        "call": {
            "slug": "grid-connections-small-generators",
            "title": "Ideas to unlock grid connections for small generators",
            "brief": (
                "<p>Small generators and storage projects, typically under 50 MW and connected to the local "
                "distribution network, often wait years for a connection. We want practical ideas from organisations "
                "that develop, fund, own or support these projects: <strong>community energy groups, developers, "
                "network companies, councils and researchers</strong>.</p>"
                "<p>Tell us what would make the biggest difference to getting viable projects connected sooner, and "
                "what the risks would be. Ideas about data, process, contracts and skills are all welcome.</p>"
                "<p>We will share the ideas with the network companies and the regulator, and we will set out in the "
                "next version of our pathway which ones we are taking forward and why.</p>"
            ),
            "eligibility": "organisations",
            "sectors": ["business", "charity", "public-body", "academia", "community-group"],
            "moderation_mode": "post",
            "voting_mode": "support",
            "support_limit": None,
            "authors_can_vote": False,
            "comments_open": True,
        },
        "ideas": [
            {
                "title": "Let small generators share one connection point through cable pooling agreements",
                "summary": (
                    "Solar, wind and battery projects produce at different times. Allowing several small projects to "
                    "share one connection, under a shared agreement on export limits, would use existing capacity far "
                    "better and avoid waiting for new network reinforcement."
                ),
                "body": (
                    "Solar farms export most at midday in summer; wind is strongest in winter; batteries can export "
                    "when neither is generating. Yet each project is offered its own connection sized for its peak "
                    "output.\n\n"
                    "We propose that network companies offer **shared connections** to groups of projects that sign a "
                    "joint agreement to stay within an agreed export limit. Other countries already allow this.\n\n"
                    "The main barriers are contractual: who is liable if the limit is breached, and how network charges "
                    "are split. Both can be solved with a standard agreement."
                ),
                "tags": ["grid", "connections", "flexibility"],
                "organisation": "Brightwater Renewables Ltd",
                "sector": "business",
                "questions": [0],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Strongly support. We have a solar site with a battery next door, but under different "
                            "owners, and it took 18 months to agree a private wire arrangement. A standard agreement "
                            "would have saved most of that."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "Thank you. Do you have a view on how curtailment should be shared if the joint limit is "
                            "reached, for example pro rata or by order of connection?"
                        ),
                        "replies": [
                            {"author": 0, "body": "Pro rata is simplest and fairest. Order of connection tends to punish the newest project, which is usually the battery."},
                        ],
                    },
                ],
            },
            {
                "title": "Six-monthly milestone checks so stalled projects lose their place in the connection queue",
                "summary": (
                    "Projects should keep their queue position only if they show progress: land rights, planning "
                    "consent, finance. A six-monthly check against published milestones would free capacity held by "
                    "projects that are not going ahead."
                ),
                "body": (
                    "The recent queue reform was a big step, but it was a one-off. Without regular checks, the queue will "
                    "fill up again with speculative applications.\n\n"
                    "We propose published milestones, checked every six months:\n\n"
                    "- land rights secured within 12 months\n"
                    "- planning application submitted within 24 months\n"
                    "- evidence of finance before construction\n\n"
                    "Projects that miss a milestone without good reason would move to the back of the queue. "
                    "**Community projects** could have longer deadlines, because they rely on volunteers and grants."
                ),
                "tags": ["grid", "queue reform", "milestones"],
                "organisation": "Harrowden Energy Consulting",
                "sector": "business",
                "questions": [0],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Planning delays are often outside the developer's control. There would need to be a fair "
                            "way to pause the clock when a council is late deciding."
                        ),
                        "replies": [
                            {"author": 1, "body": "Agreed. We would pause the clock where the application is validated and the statutory period has passed."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "Ongoing milestone checks are part of the new process. It would help to hear from "
                            "community groups whether the longer deadlines suggested here would be enough."
                        ),
                    },
                ],
            },
            {
                "title": "A connection fund for community energy schemes under 5 MW",
                "summary": (
                    "Connection costs for small community schemes can run to hundreds of thousands of pounds and have to "
                    "be paid before any income. A revolving fund that pays connection costs upfront and is repaid from "
                    "generation income would let more community schemes go ahead."
                ),
                "body": (
                    "Our group has planning consent for a 2 MW solar scheme on farmland, with an agreement to share "
                    "income with the village. The network company quoted £410,000 for the connection, payable in "
                    "stages before we can earn anything.\n\n"
                    "Community groups cannot borrow on the same terms as commercial developers. A **revolving connection "
                    "fund** would pay the costs upfront and be repaid over 10 years from income.\n\n"
                    "This would also help answer how communities can share in the benefits of local generation, because "
                    "the income stays local."
                ),
                "tags": ["community energy", "finance", "connections"],
                "organisation": "Upper Wharfe Community Energy",
                "sector": "community-group",
                "questions": [0, 2],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Is the problem the cost, or the timing of payments? Some network companies will agree "
                            "staged payments linked to construction if asked."
                        ),
                        "replies": [
                            {"author": 0, "body": "Mainly the timing. We asked for staged payments but the first stage was still £120,000 before construction."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "Useful evidence, thank you. We are looking at how existing community energy funding "
                            "could be used this way, and what default rates have been on similar loans."
                        ),
                    },
                    {
                        "author": 1,
                        "body": "It would be worth limiting the fund to schemes with a formal local ownership or profit-sharing arrangement, so the benefit is real.",
                    },
                ],
            },
            {
                "title": "Publish network capacity maps at substation level every month",
                "summary": (
                    "Developers apply for connections in places where there is no capacity because they cannot see "
                    "where capacity is. Monthly, consistent, substation-level capacity data across all network "
                    "companies would steer projects to where they can connect soonest."
                ),
                "body": (
                    "Each network company publishes capacity information, but in different formats, at different "
                    "levels of detail and updated at different times. Some maps are more than a year old.\n\n"
                    "We propose a **single monthly dataset** in a common format, showing for each primary substation:\n\n"
                    "- spare import and export capacity\n"
                    "- capacity already committed to queued projects\n"
                    "- planned reinforcement and its expected date\n\n"
                    "Our modelling suggests that better siting could cut the number of applications to constrained areas "
                    "by a third. The same data would support local area energy planning."
                ),
                "tags": ["open data", "grid", "planning"],
                "organisation": "Institute for Energy Systems, University of Northmoor",
                "sector": "academia",
                "questions": [0, 4],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Good idea, but capacity figures change as soon as a project is offered a connection. "
                            "Monthly data could still mislead unless it shows how much capacity is being applied for."
                        ),
                        "replies": [
                            {"author": 1, "body": "Agreed. We would add the volume of applications under assessment at each substation."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": "We are discussing a common data standard with network companies. Your modelling on siting would be helpful to see.",
                    },
                ],
            },
            {
                "title": "Add batteries to existing solar farms so they can use spare export capacity in the evening",
                "summary": (
                    "Most solar farms use their full connection only for a few hours on sunny days. Adding batteries "
                    "behind the existing connection, without increasing the export limit, would shift output to the "
                    "evening peak without needing a new connection offer."
                ),
                "body": (
                    "We operate 12 solar farms with a combined connection capacity of 140 MW. On average they use "
                    "less than 15% of that capacity across a year.\n\n"
                    "If we could add batteries **within the existing export limit**, we could store midday output and "
                    "export it in the evening. At present, adding storage often triggers a new connection "
                    "application, even though the maximum export does not change.\n\n"
                    "A fast-track process for changes that do not increase maximum export would solve this."
                ),
                "tags": ["storage", "solar", "connections"],
                "organisation": "Kestrel Solar Holdings",
                "sector": "business",
                "questions": [0],
                "author": 0,
                "comments": [
                    {
                        "author": "team",
                        "body": (
                            "Several respondents have raised this. Could you say how long a modification application "
                            "currently takes for you, and what the network company asks for?"
                        ),
                        "replies": [
                            {"author": 0, "body": "Between 9 and 14 months in our experience, with full studies required even where export stays the same."},
                        ],
                    },
                ],
            },
            {
                "title": "Regional training academies for cable jointers and substation engineers, linked to network investment",
                "summary": (
                    "Network companies plan to double their investment, but there are not enough cable jointers, "
                    "electrical fitters and protection engineers. Regional academies, with places guaranteed against "
                    "planned network projects, would grow the workforce where it is needed."
                ),
                "body": (
                    "It takes two to four years to train a qualified cable jointer, and the current workforce is ageing. "
                    "Training providers tell us they cannot expand without confidence that jobs will be there.\n\n"
                    "We propose **regional academies** run jointly by network companies, colleges and charities, with "
                    "places linked to the investment plans agreed with the regulator. Priority would go to people from "
                    "areas where new network infrastructure is being built.\n\n"
                    "This would help with skills shortages and give local communities a visible benefit from new "
                    "infrastructure."
                ),
                "tags": ["skills", "networks", "apprenticeships"],
                "organisation": "Skills for Power Trust",
                "sector": "charity",
                "questions": [2, 3],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Good idea. Contractors also need confidence: much network work is subcontracted, and "
                            "small contractors rarely take on apprentices because work comes in short contracts."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "Our skills analysis shows jointers and protection engineers among the most acute "
                            "shortages. We would be interested in your estimate of how many places each academy could "
                            "offer a year."
                        ),
                        "replies": [
                            {"author": 1, "body": "Around 150 to 200 learners a year per academy, based on current college capacity and available trainers."},
                        ],
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------
    # 3. Safer streets
    # ------------------------------------------------------------------
    {
        "slug": "safer-streets",
        "title": "Take back our streets",
        "goal": "Halve knife crime and violence against women and girls within a decade, and raise public confidence in the police and criminal justice system.",
        "what_we_know": (
            "<p>We know that crime is concentrated: a small number of streets, places and people account for a large "
            "share of harm. We also know that <strong>public confidence depends heavily on visible, local "
            "policing</strong>, and that the number of officers in neighbourhood roles fell over the past decade as "
            "they were moved to other work.</p>"
            "<p>We are less sure which early interventions stop young people carrying knives, how to measure women's "
            "and girls' sense of safety more often than once a year, and why many victims of everyday crime no longer "
            "report it. We are testing approaches with police forces, councils and community groups.</p>"
        ),
        "owner_name": "Marcus Heald",
        "owner_role": "Senior Responsible Owner; Director General, Crime, Policing and Fire",
        "team": [
            {"name": "Joanna Kerr", "role": "Head of Neighbourhood Policing"},
            {"name": "Imran Siddiqui", "role": "Serious Violence Policy Lead"},
            {"name": "Claire Ndlovu", "role": "Head of Research and Evaluation"},
        ],
        "learning_questions": [
            {
                "question": "What do residents most want from a named neighbourhood officer, and how do they want to contact them?",
                "status": "answered",
                "answer": (
                    "Across 14 community panels, residents ranked visible patrols at predictable times and a reply "
                    "within two working days above new contact channels. Many did not know who their local officer was."
                ),
            },
            {
                "question": "Which early interventions most reduce the chance that a young person carries a knife?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "How can we measure how safe women and girls feel in public spaces more often than the annual survey allows?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "Why do victims of shop theft and antisocial behaviour stop reporting, and what would bring them back?",
                "status": "open",
                "answer": "",
            },
        ],
        "metrics": [
            {
                "name": "Police officers in neighbourhood teams, England and Wales",
                "unit": "officers (FTE)",
                "direction": "up",
                "baseline": "17050.00",
                "baseline_date": "2023-03-31",
                "target": "30050.00",
                "target_date": "2029-03-31",
                "points": [
                    {"date": "2023-03-31", "value": "17050.00", "source": "Home Office police workforce statistics",
                     "commentary": "Our baseline. Definitions of neighbourhood roles vary between forces, which we are standardising with the inspectorate."},
                    {"date": "2024-03-31", "value": "16420.00", "source": "Home Office police workforce statistics",
                     "commentary": "A fall, as forces moved officers into response and investigation roles to manage demand."},
                    {"date": "2025-03-31", "value": "16880.00", "source": "Home Office police workforce statistics",
                     "commentary": "The first increase in several years, as forces began to rebuild neighbourhood teams with new funding."},
                    {"date": "2025-09-30", "value": "17950.00", "source": "Home Office police workforce statistics (interim)",
                     "commentary": "Interim figure. Most of the increase is officers moved from other roles, not new recruits, so overall capacity has not grown as much."},
                    {"date": "2026-03-31", "value": "19340.00", "source": "Home Office police workforce statistics",
                     "commentary": "Ahead of our interim milestone. We are now checking that officers in these roles are not routinely taken away to cover other duties."},
                ],
            },
            {
                "name": "Neighbourhood crime incidents per 1,000 adults",
                "unit": "per 1,000 adults",
                "direction": "down",
                "baseline": "49.20",
                "baseline_date": "2022-03-31",
                "target": "36.00",
                "target_date": "2030-03-31",
                "points": [
                    {"date": "2022-03-31", "value": "49.20", "source": "Crime Survey for England and Wales (ONS)",
                     "commentary": "Covers burglary, theft from the person, robbery and vehicle crime. Figures for this year are still affected by pandemic restrictions."},
                    {"date": "2023-03-31", "value": "46.80", "source": "Crime Survey for England and Wales (ONS)",
                     "commentary": "A small fall, mainly in vehicle crime. Theft from the person has started to rise again."},
                    {"date": "2024-03-31", "value": "45.90", "source": "Crime Survey for England and Wales (ONS)",
                     "commentary": "Broadly flat. The survey's sample size was lower this year, so the confidence interval is wider."},
                    {"date": "2025-03-31", "value": "47.10", "source": "Crime Survey for England and Wales (ONS)",
                     "commentary": "An increase, driven by theft from the person in town and city centres. This is one reason for our current call for ideas."},
                    {"date": "2026-03-31", "value": "45.50", "source": "Crime Survey for England and Wales (ONS)",
                     "commentary": "A fall back to earlier levels. It is too early to link this to the return of neighbourhood officers."},
                ],
            },
            {
                "name": "Knife or sharp instrument offences recorded by police",
                "unit": "thousand offences a year",
                "direction": "down",
                "baseline": "50.50",
                "baseline_date": "2024-03-31",
                "target": "25.25",
                "target_date": "2034-03-31",
                "points": [
                    {"date": "2022-03-31", "value": "45.20", "source": "ONS crime in England and Wales: police recorded crime",
                     "commentary": "Shown for context. Recorded knife crime fell during pandemic restrictions and has since risen."},
                    {"date": "2023-03-31", "value": "49.90", "source": "ONS crime in England and Wales: police recorded crime",
                     "commentary": "Back to pre-pandemic levels. Increases were largest in robbery involving a knife."},
                    {"date": "2024-03-31", "value": "50.50", "source": "ONS crime in England and Wales: police recorded crime",
                     "commentary": "Our baseline for the aim to halve knife crime over ten years. Figures exclude one force because of a change in recording systems."},
                    {"date": "2025-03-31", "value": "48.40", "source": "ONS crime in England and Wales: police recorded crime",
                     "commentary": "A fall of around 4%. Hospital admissions for assault with a sharp object also fell, which suggests the change is real rather than a recording effect."},
                    {"date": "2026-03-31", "value": "46.10", "source": "ONS crime in England and Wales: police recorded crime",
                     "commentary": "A further fall, but the pace needs to roughly double to halve knife crime by 2034."},
                ],
            },
        ],
        "pathway_versions": [
            {
                "version": "v1",
                "date": "2024-11-01",
                "summary": (
                    "<p>Our first pathway set out a <strong>neighbourhood policing guarantee</strong>, a ban on "
                    "dangerous weapons, and youth prevention partnerships in areas with high levels of violence.</p>"
                ),
                "changes": "",
            },
            {
                "version": "v2",
                "date": "2025-07-07",
                "summary": (
                    "<p>We added commitments on how residents can contact their neighbourhood team, and a new strand on "
                    "<strong>town centres after dark</strong>, covering shop theft, antisocial behaviour and women's "
                    "safety.</p>"
                ),
                "changes": (
                    "Community panels told us that contact and responsiveness matter as much as officer numbers, so we "
                    "now publish a contact standard. Crime survey data showed theft from the person rising in town "
                    "centres, so we brought town centre safety forward."
                ),
            },
            {
                "version": "v3",
                "date": "2026-03-02",
                "summary": (
                    "<p>We have focused youth prevention funding on approaches with the strongest evidence, and set up "
                    "a quarterly measure of how safe women and girls feel in public spaces, tested in six areas.</p>"
                ),
                "changes": (
                    "Early findings from our evaluation suggested that mentoring linked to school exclusion and support "
                    "in hospital emergency departments had clearer effects than general diversionary activities. We "
                    "moved funding accordingly and will keep testing."
                ),
            },
        ],
        "call": {
            "slug": "safer-town-centres-after-dark",
            "title": "Ideas to make town centres feel safer after dark",
            "brief": (
                "<p>Many people tell us they avoid their town centre in the evening because they do not feel safe. "
                "We want ideas from residents, shop and business owners, charities, community groups and public "
                "bodies on what would make a real difference, particularly for <strong>women and girls</strong>, "
                "<strong>young people</strong> and <strong>people who work late</strong>.</p>"
                "<p>Ideas can be about policing, but do not have to be. Lighting, transport, licensing, youth services "
                "and how crime is reported all matter.</p>"
                "<p>Because some ideas may involve personal experiences of crime, every idea and comment is checked "
                "by a moderator before it is published. Please do not name individuals or include details that could "
                "identify a victim. We will use the ideas to design pilots in town centres starting in autumn 2026.</p>"
            ),
            "eligibility": "both",
            "sectors": ["business", "charity", "public-body", "community-group"],
            "moderation_mode": "pre",
            "voting_mode": "support",
            "support_limit": None,
            "authors_can_vote": False,
            "comments_open": True,
        },
        "ideas": [
            {
                "title": "Publish who your neighbourhood officers are and when they will be on patrol",
                "summary": (
                    "Most people do not know who their local officers are. Publishing names, photos and a regular patrol "
                    "schedule for each ward, with a simple way to contact them, would make policing visible and "
                    "encourage people to report problems."
                ),
                "body": (
                    "I have lived in the same town for 20 years and could not tell you the name of a single local "
                    "police officer. When there was trouble outside our flats, we did not know who to tell apart from "
                    "calling 101.\n\n"
                    "Each ward should have a page showing:\n\n"
                    "- the names and photos of its neighbourhood officers\n"
                    "- regular times and places they will be on patrol\n"
                    "- an email address that is answered within two working days\n\n"
                    "The patrol times do not need to be exact, but **predictable presence** would make a big "
                    "difference to how safe people feel."
                ),
                "tags": ["neighbourhood policing", "contact", "visibility"],
                "organisation": "",
                "sector": "",
                "questions": [0, 3],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "I like this, though publishing exact patrol times could help people avoid the police. "
                            "Perhaps publish regular 'meet your officer' sessions instead of full patrol schedules."
                        ),
                        "replies": [
                            {"author": 0, "body": "That is a fair point. Regular drop-in sessions plus a general pattern of patrols would be enough for most people."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "This matches what our community panels told us. The neighbourhood policing guarantee now "
                            "includes a named officer for every area and a two-day reply standard. We would like to "
                            "hear whether that is happening where you live."
                        ),
                    },
                ],
            },
            {
                "title": "Safe havens in late-opening shops, pharmacies and venues",
                "summary": (
                    "A recognised sign in the window of late-opening shops, pharmacies and venues would show that anyone "
                    "who feels unsafe can go in, wait, charge their phone and get help. Staff would have short training "
                    "and a direct line to the local police team."
                ),
                "body": (
                    "Women and girls we work with often describe walking between a bus stop and home with nowhere to go "
                    "if they are followed or harassed.\n\n"
                    "We propose a **safe haven scheme**: businesses open late display a common sign, and staff receive "
                    "a one-hour training session on what to do, including how to call the police and how to support "
                    "someone without putting themselves at risk.\n\n"
                    "Similar schemes exist in some areas, but they are not consistent and often fade out after a year. "
                    "A national standard with local coordination would help them last."
                ),
                "tags": ["women's safety", "night-time economy", "businesses"],
                "organisation": "Safe Home Alliance",
                "sector": "charity",
                "questions": [2],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "As a shop manager I would sign up, but we often have one member of staff on after 9pm. "
                            "Training should be clear about what lone staff are and are not expected to do."
                        ),
                        "replies": [
                            {"author": 1, "body": "Agreed. The training would be clear that staff offer a safe space and call for help, not intervene."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "Do you have any evidence on how often these schemes are used in practice? That would help "
                            "us judge whether it is worth setting a national standard."
                        ),
                    },
                ],
            },
            {
                "title": "Night-time walks with women and girls to check lighting, routes and problem spots",
                "summary": (
                    "Women and girls know which routes feel unsafe and why. Regular guided walks with the council, police "
                    "and transport operators would identify specific fixes such as broken lights, overgrown paths and "
                    "unstaffed stations, and track whether they are done."
                ),
                "body": (
                    "Our network has organised three evening walks with around 40 women and girls aged 14 and over. Each "
                    "walk identified between 15 and 25 specific problems, most of which were cheap to fix.\n\n"
                    "We suggest that councils run these walks **twice a year** in every town centre, with officials who "
                    "can act on what they see. The results should be published, with a date for each fix.\n\n"
                    "Repeating the walks would also give a more frequent, local measure of how safe women and girls feel "
                    "than the annual survey."
                ),
                "tags": ["women's safety", "lighting", "community"],
                "organisation": "Brinsford Women's Network",
                "sector": "community-group",
                "questions": [2],
                "author": 0,
                "comments": [
                    {
                        "author": "team",
                        "body": (
                            "This is very relevant to our question on measuring how safe women and girls feel. Did you "
                            "ask participants to rate their sense of safety before and after the fixes were made?"
                        ),
                        "replies": [
                            {"author": 0, "body": "Not formally. We would be happy to add a short before and after survey for the next round."},
                        ],
                    },
                    {
                        "author": 1,
                        "body": (
                            "Good idea. It would be worth including women who work night shifts, since they are often "
                            "travelling at the least safe times."
                        ),
                    },
                ],
            },
            {
                "title": "A simple shared way for shops to report theft that goes straight into police records",
                "summary": (
                    "Shop staff stop reporting theft because it takes too long and nothing seems to happen. A simple "
                    "shared reporting tool, linked to police systems, with CCTV upload and a reply on what happened, "
                    "would make reporting worth the effort."
                ),
                "body": (
                    "Our members estimate they report fewer than a third of thefts. Reporting one incident online can "
                    "take 40 minutes, and CCTV often has to be provided on a USB stick.\n\n"
                    "We propose a **single reporting tool** for retailers that:\n\n"
                    "- takes under ten minutes to complete\n"
                    "- allows CCTV clips to be uploaded\n"
                    "- creates a police crime record automatically\n"
                    "- tells the shop what happened next\n\n"
                    "Better reporting would also give police a clearer picture of repeat offending in each town centre."
                ),
                "tags": ["shop theft", "reporting", "retail"],
                "organisation": "Highfield Street Traders' Association",
                "sector": "business",
                "questions": [3],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Some forces already have online reporting for retailers. Is the problem the system itself, "
                            "or the lack of feedback afterwards?"
                        ),
                        "replies": [
                            {"author": 1, "body": "Both, but feedback matters most. If staff never hear back, they stop bothering, however quick the form is."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "This is useful for our question on why victims stop reporting. We are looking at two forces "
                            "that introduced retailer reporting tools to see what happened to reporting rates."
                        ),
                    },
                ],
            },
            {
                "title": "Youth workers on late evening bus routes into the town centre",
                "summary": (
                    "A lot of trouble involving young people happens on late buses and at bus stations. Trained youth "
                    "workers travelling on key routes on Friday and Saturday evenings could calm situations down and "
                    "link young people to support, at lower cost than extra police patrols."
                ),
                "body": (
                    "Our community safety partnership found that nearly a third of incidents involving young people in "
                    "the town centre happened on or around buses between 7pm and 11pm.\n\n"
                    "We propose placing **pairs of youth workers** on three busy routes on Friday and Saturday evenings "
                    "for a year, working with drivers and the neighbourhood policing team. They would know many of the "
                    "young people already and could refer them to local services.\n\n"
                    "We would measure incidents reported by drivers and calls to police, compared with similar routes "
                    "without youth workers."
                ),
                "tags": ["young people", "transport", "prevention"],
                "organisation": "Ormsby Borough Council",
                "sector": "public-body",
                "questions": [1],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Sounds promising. Bus drivers should be involved in designing it, since they see what "
                            "happens every night."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "A comparison with similar routes is a good design. How would you keep youth workers safe, "
                            "and what would they do if a situation escalated?"
                        ),
                        "replies": [
                            {"author": 0, "body": "They would always work in pairs, with a radio link to the bus operator's control room and a clear rule to step back and call police."},
                        ],
                    },
                ],
            },
            {
                "title": "A mentor for every young person excluded from school, starting on the day of exclusion",
                "summary": (
                    "Young people excluded from school are far more likely to be drawn into violence. A trusted mentor "
                    "assigned on the day of exclusion, who stays with them for at least a year, could help them return "
                    "to education and stay away from harm."
                ),
                "body": (
                    "My son was permanently excluded at 14. For the next three months he spent most of his days in "
                    "town with older boys, and nobody from any service contacted us until he was arrested.\n\n"
                    "The weeks immediately after exclusion are when young people are most at risk. A mentor should be "
                    "assigned **on the day**, someone with real-life experience, not only a professional qualification, "
                    "who stays with the young person for at least a year.\n\n"
                    "Things are better for my son now, but only because a youth worker took a personal interest in him."
                ),
                "tags": ["young people", "school exclusion", "mentoring"],
                "organisation": "",
                "sector": "",
                "questions": [1],
                "author": 1,
                "comments": [
                    {
                        "author": "team",
                        "body": (
                            "Thank you for sharing this. Mentoring at the point of exclusion is one of the approaches "
                            "with the strongest early evidence in our evaluation, and it is now a priority in our "
                            "pathway."
                        ),
                    },
                    {
                        "author": 0,
                        "body": (
                            "Agree on the timing. Could the mentor also support the family? Parents often feel shut "
                            "out once a child is excluded."
                        ),
                        "replies": [
                            {"author": 1, "body": "Yes. We felt completely alone. Some contact with parents would make a big difference."},
                        ],
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------
    # 4. Opportunity
    # ------------------------------------------------------------------
    {
        "slug": "opportunity",
        "title": "Break down barriers to opportunity",
        "goal": "Break the link between a child's background and their future success, from the early years through school to work.",
        "what_we_know": (
            "<p>We know that gaps between children from poorer and better-off families open before they start "
            "school and widen as they get older. We also know that <strong>more young people are now not in "
            "education, employment or training</strong> than before the pandemic, and that persistent absence from "
            "school has roughly doubled.</p>"
            "<p>We are less sure which early years approaches close the gap fastest, why more young people are "
            "falling out of education and work, and what stops young people from lower-income families taking up "
            "apprenticeships. Families, schools, employers and young people themselves can help us find out.</p>"
        ),
        "owner_name": "Priya Natarajan-Hughes",
        "owner_role": "Senior Responsible Owner; Director General for Families and Opportunity",
        "team": [
            {"name": "Owen Gallagher", "role": "Head of Early Years Policy"},
            {"name": "Simone Baptiste", "role": "Youth Transitions Lead"},
            {"name": "Neil Hardcastle", "role": "Principal Statistician"},
            {"name": "Zara Hussain", "role": "Service Designer"},
        ],
        "learning_questions": [
            {
                "question": "Which early years approaches close the gap in school readiness at age 5 fastest, and at what cost?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "Why has the number of young people not in education, employment or training risen since 2022?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "Does free breakfast provision improve attendance and attainment in primary schools?",
                "status": "answered",
                "answer": (
                    "In part. Early evaluation across 750 early adopter schools found a small rise in attendance of "
                    "0.4 percentage points and better-reported behaviour; effects on attainment cannot be measured until 2027."
                ),
            },
            {
                "question": "What stops young people from lower-income families taking up apprenticeships?",
                "status": "open",
                "answer": "",
            },
            {
                "question": "How can schools keep persistently absent pupils engaged before they drop out of education?",
                "status": "open",
                "answer": "",
            },
        ],
        "metrics": [
            {
                "name": "Children achieving a good level of development at age 5",
                "unit": "%",
                "direction": "up",
                "baseline": "65.20",
                "baseline_date": "2022-07-31",
                "target": "75.00",
                "target_date": "2028-07-31",
                "points": [
                    {"date": "2022-07-31", "value": "65.20", "source": "DfE early years foundation stage profile results",
                     "commentary": "First year under the revised profile, so not comparable with earlier years. Children eligible for free school meals were around 20 points behind."},
                    {"date": "2023-07-31", "value": "67.20", "source": "DfE early years foundation stage profile results",
                     "commentary": "An improvement as children affected by pandemic disruption moved through. The gap for children eligible for free school meals barely changed."},
                    {"date": "2024-07-31", "value": "67.70", "source": "DfE early years foundation stage profile results",
                     "commentary": "Slower progress. Communication and language remain the weakest areas, which is where we are focusing new funding."},
                    {"date": "2025-07-31", "value": "68.30", "source": "DfE early years foundation stage profile results",
                     "commentary": "At this rate we would reach around 71% by 2028, well short of 75%. Our early years pilots need to show faster results to change that."},
                ],
            },
            {
                "name": "Young people aged 16 to 24 not in education, employment or training",
                "unit": "%",
                "direction": "down",
                "baseline": "10.40",
                "baseline_date": "2022-12-31",
                "target": "9.00",
                "target_date": "2030-12-31",
                "points": [
                    {"date": "2022-12-31", "value": "10.40", "source": "ONS young people not in education, employment or training (NEET)",
                     "commentary": "Close to pre-pandemic levels at the end of 2022."},
                    {"date": "2023-12-31", "value": "11.60", "source": "ONS young people not in education, employment or training (NEET)",
                     "commentary": "A rise, mainly among young people who are inactive rather than unemployed. Mental ill health is increasingly reported as a reason."},
                    {"date": "2024-12-31", "value": "12.50", "source": "ONS young people not in education, employment or training (NEET)",
                     "commentary": "A further rise, to nearly one million young people. Survey response rates are low, so the level is uncertain, but the trend matches other data."},
                    {"date": "2025-12-31", "value": "12.80", "source": "ONS young people not in education, employment or training (NEET)",
                     "commentary": "Still rising. We do not yet understand why well enough, which is why it is the focus of our current call for ideas."},
                    {"date": "2026-03-31", "value": "12.40", "source": "ONS young people not in education, employment or training (NEET)",
                     "commentary": "A small fall in the latest quarter, within the margin of error. We will not treat it as a change in trend yet."},
                ],
            },
            {
                "name": "Disadvantage attainment gap index at key stage 2",
                "unit": "index",
                "direction": "down",
                "baseline": "3.23",
                "baseline_date": "2022-07-31",
                "target": "2.90",
                "target_date": "2030-07-31",
                "points": [
                    {"date": "2022-07-31", "value": "3.23", "source": "DfE key stage 2 attainment statistics",
                     "commentary": "The gap widened during the pandemic to its largest level in a decade. Zero would mean no gap between disadvantaged pupils and others."},
                    {"date": "2023-07-31", "value": "3.21", "source": "DfE key stage 2 attainment statistics",
                     "commentary": "Almost unchanged. Attendance among disadvantaged pupils remains well below pre-pandemic levels."},
                    {"date": "2024-07-31", "value": "3.20", "source": "DfE key stage 2 attainment statistics",
                     "commentary": "A very small narrowing, within normal year-to-year variation."},
                    {"date": "2025-07-31", "value": "3.22", "source": "DfE key stage 2 attainment statistics",
                     "commentary": "No real progress since 2022. We are looking at attendance and early language as the biggest levers."},
                ],
            },
            {
                "name": "Apprenticeship starts by people aged under 25",
                "unit": "thousand starts a year",
                "direction": "up",
                "baseline": "176.40",
                "baseline_date": "2022-07-31",
                "target": "200.00",
                "target_date": "2030-07-31",
                "points": [
                    {"date": "2022-07-31", "value": "176.40", "source": "DfE apprenticeships statistics (academic year)",
                     "commentary": "Starts by young people have fallen since 2017, as more employers used the levy for older staff and higher-level courses."},
                    {"date": "2023-07-31", "value": "165.80", "source": "DfE apprenticeships statistics (academic year)",
                     "commentary": "A further fall, concentrated in intermediate apprenticeships that young people often start with."},
                    {"date": "2024-07-31", "value": "160.10", "source": "DfE apprenticeships statistics (academic year)",
                     "commentary": "Still falling. Employers tell us the cost of training and supervision for younger apprentices is a barrier."},
                    {"date": "2025-07-31", "value": "163.50", "source": "DfE apprenticeships statistics (academic year)",
                     "commentary": "The first rise in several years, following full funding of training for young apprentices at small firms. We do not yet know if this will last."},
                ],
            },
        ],
        "pathway_versions": [
            {
                "version": "v1",
                "date": "2024-11-01",
                "summary": (
                    "<p>Our first pathway focused on <strong>early years</strong>, <strong>free breakfast clubs</strong> "
                    "in primary schools and reform of the apprenticeship levy.</p>"
                ),
                "changes": "",
            },
            {
                "version": "v2",
                "date": "2025-09-22",
                "summary": (
                    "<p>We added a strand on <strong>young people not in education, employment or training</strong>, "
                    "including a guarantee of a training place or help to find work for every 18 to 21 year old, and "
                    "work on persistent absence from school.</p>"
                ),
                "changes": (
                    "The rise in young people not in education, employment or training was faster than expected, and "
                    "school attendance data showed many of them had been persistently absent from age 13 or 14. We "
                    "brought forward work on this age group rather than waiting for the early years programme to take "
                    "effect."
                ),
            },
        ],
        "call": {
            "slug": "routes-back-for-young-people",
            "title": "Ideas to help young people back into education, training or work",
            "brief": (
                "<p>Nearly one in eight young people aged 16 to 24 is not in education, employment or training. We "
                "want to understand why, and what would help. We would like to hear from <strong>young people, "
                "parents, teachers, youth workers, employers and researchers</strong>.</p>"
                "<p>Tell us about something that would make a practical difference: at school, when leaving school or "
                "college, or when trying to find a first job. If you have tried something that worked, or did not, "
                "please say so.</p>"
                "<p>You can support up to five ideas. We will use the most supported ideas, and the evidence in the "
                "comments, to shape the youth guarantee and to choose projects to test in 2026 and 2027.</p>"
            ),
            "eligibility": "both",
            "sectors": ["business", "charity", "public-body", "academia", "community-group"],
            "moderation_mode": "post",
            "voting_mode": "support",
            "support_limit": 5,
            "authors_can_vote": False,
            "comments_open": True,
        },
        "ideas": [
            {
                "title": "Paid taster weeks with local employers for 16 and 17 year olds",
                "summary": (
                    "Many young people have never been inside a workplace and do not know what jobs exist locally. Paid "
                    "taster weeks with employers, open to young people at risk of dropping out, would build confidence "
                    "and lead to apprenticeship offers."
                ),
                "body": (
                    "We are a logistics firm with around 600 staff. Last year we offered paid one-week tasters to 24 young "
                    "people referred by the local college and youth service. Eleven went on to apprenticeships or jobs "
                    "with us or our suppliers.\n\n"
                    "Paying the young people mattered: several said they could not have afforded to do unpaid work "
                    "experience. **Mentoring by staff** only a few years older also helped.\n\n"
                    "We would like to see a local fund that covers wages for tasters at small employers, who cannot "
                    "afford it on their own."
                ),
                "tags": ["employers", "work experience", "apprenticeships"],
                "organisation": "Harbourside Logistics Group",
                "sector": "business",
                "questions": [1, 3],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Eleven out of 24 is a strong result. How were the young people chosen? If the college picked "
                            "the most motivated, that would explain some of it."
                        ),
                        "replies": [
                            {"author": 0, "body": "The college referred students with poor attendance, but they did volunteer. So yes, there is some self-selection."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "Thank you. Paid work experience is something we are looking at for the youth guarantee. "
                            "What did a taster week cost you per young person, including staff time?"
                        ),
                        "replies": [
                            {"author": 0, "body": "About £650 each, roughly half in wages and half in staff time and equipment."},
                        ],
                    },
                ],
            },
            {
                "title": "Free or reduced-price travel for apprentices in their first year",
                "summary": (
                    "Apprentice pay is low and travel to work can take a large share of it, especially in rural areas. "
                    "Free or reduced-price bus and train travel in the first year would make apprenticeships a real "
                    "option for young people from lower-income families."
                ),
                "body": (
                    "My daughter was offered an engineering apprenticeship 20 miles away. After bus fares, she would have "
                    "taken home less than her friends working part-time in a supermarket, so she turned it down.\n\n"
                    "Students in full-time education often get travel discounts; apprentices often do not. **A first-year "
                    "travel pass** would remove one of the most obvious reasons for saying no.\n\n"
                    "It could be paid for by the employer, the local transport authority or government, but it needs to be "
                    "automatic, not something each young person has to apply for."
                ),
                "tags": ["apprenticeships", "transport", "cost of living"],
                "organisation": "",
                "sector": "",
                "questions": [3],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Travel costs came up again and again when we spoke to young people in rural areas. Some "
                            "areas already offer discounts, but few apprentices know about them."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "This is a clear example of a barrier we want to understand better. We are adding a question "
                            "about travel costs to our survey of young people who turned down apprenticeship offers."
                        ),
                    },
                ],
            },
            {
                "title": "A named transition worker for every young person leaving alternative provision",
                "summary": (
                    "Young people in alternative provision are far more likely to become NEET. A named worker who starts "
                    "working with them six months before they leave and stays with them for a year afterwards would help "
                    "them make and keep a place in college, training or work."
                ),
                "body": (
                    "More than half of the young people we support in alternative provision are not in education, "
                    "employment or training a year after leaving. Many start a college course and drop out within weeks.\n\n"
                    "We propose a **named transition worker** who:\n\n"
                    "- meets the young person six months before they leave\n"
                    "- helps them visit and choose a college or training provider\n"
                    "- checks in weekly for the first term, and monthly after that\n\n"
                    "Our pilot with 30 young people kept 21 in education or training after a year."
                ),
                "tags": ["alternative provision", "transitions", "youth work"],
                "organisation": "Second Chapter Trust",
                "sector": "charity",
                "questions": [1, 4],
                "author": 0,
                "comments": [
                    {
                        "author": "team",
                        "body": (
                            "Very relevant to both our questions on young people leaving education. What would you "
                            "expect the caseload per worker to be?"
                        ),
                        "replies": [
                            {"author": 0, "body": "Around 20 young people per worker at any one time. More than that and the weekly contact slips."},
                        ],
                    },
                    {
                        "author": 1,
                        "body": (
                            "Colleges also need to be ready to adapt. Young people from alternative provision often "
                            "struggle with large classes and long days. Could transition workers also advise colleges?"
                        ),
                    },
                ],
            },
            {
                "title": "Use school attendance data to spot young people at risk of becoming NEET from age 14",
                "summary": (
                    "Our research shows that persistent absence at age 14 is one of the strongest predictors of being "
                    "NEET at 18. Schools and councils could use attendance data they already hold to offer support years "
                    "earlier, with proper safeguards."
                ),
                "body": (
                    "We linked anonymised school and further education records for around 40,000 young people. Pupils "
                    "persistently absent in Year 9 were **three times more likely** to be NEET at 18, even after "
                    "accounting for prior attainment and free school meal eligibility.\n\n"
                    "Councils already have a duty to track young people's participation after 16, but they usually start "
                    "too late. We propose a simple flag, based on attendance and exclusions, shared between schools and "
                    "councils from Year 9.\n\n"
                    "Any use of data would need clear rules on who sees it and what it is used for, and families should "
                    "be told."
                ),
                "tags": ["data", "attendance", "early intervention"],
                "organisation": "Centre for Education Transitions, University of Eastbridge",
                "sector": "academia",
                "questions": [1, 4],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Identifying young people is only useful if there is support to offer them. In many areas, "
                            "youth services have been cut so much that a flag would lead nowhere."
                        ),
                        "replies": [
                            {"author": 1, "body": "Agreed, and that is a real risk. We would suggest starting in areas that have support in place, and measuring the effect."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "We would be interested in your findings on how accurate the flag is: how many young people "
                            "it would flag who would not have become NEET, and how many it would miss."
                        ),
                    },
                ],
            },
            {
                "title": "Fund community sports clubs to offer a route back into learning",
                "summary": (
                    "Young people who have dropped out of school and college will often still turn up at a boxing gym or "
                    "football club. Funding clubs to host short courses in English, maths and first aid would reach young "
                    "people that formal services do not."
                ),
                "body": (
                    "Around a third of the young people who train with us most weeks are not in education or work. They "
                    "trust our coaches in a way they do not trust schools or job centres.\n\n"
                    "With a small grant last year, we ran a 10-week English and maths course in our club room, taught by "
                    "a tutor from the local college. Nine of the 12 who started finished, and four have since enrolled at "
                    "college.\n\n"
                    "Clubs like ours cannot do this without **modest, reliable funding** and a link to a college or "
                    "training provider."
                ),
                "tags": ["sport", "community", "re-engagement"],
                "organisation": "Meadowfield Boxing and Fitness Club",
                "sector": "community-group",
                "questions": [1],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": "This is the sort of thing that works precisely because it does not feel like school. I hope it gets funded.",
                    },
                    {
                        "author": "team",
                        "body": (
                            "Thank you. Could you share how much the course cost and what the college contributed? We "
                            "are collecting examples of community-based learning to understand costs."
                        ),
                        "replies": [
                            {"author": 0, "body": "About £6,000 in total. The college provided the tutor, and our grant covered room costs, food and travel."},
                        ],
                    },
                    {
                        "author": 1,
                        "body": (
                            "One caution: funding rules for adult learning often require courses to lead to a formal "
                            "qualification. That would need to be flexible for something like this."
                        ),
                    },
                ],
            },
            {
                "title": "Check language development at the two-year health visitor review and act on it",
                "summary": (
                    "Delays in speech and language are the most common reason children are not ready for school at 5. "
                    "Using a standard language check at the two-year review, with quick referral to local support, "
                    "would mean help starts years earlier."
                ),
                "body": (
                    "In our area, only around 70% of children receive their two-year review, and language delays are "
                    "often noted but not followed up for many months.\n\n"
                    "We propose:\n\n"
                    "- a standard, short language check as part of every two-year review\n"
                    "- a referral to a local early language programme within six weeks\n"
                    "- a follow-up check six months later\n\n"
                    "We would also try to reach families who miss the review, through nurseries and family hubs."
                ),
                "tags": ["early years", "speech and language", "health visitors"],
                "organisation": "Kelbrook Council Public Health Team",
                "sector": "public-body",
                "questions": [0],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "As a parent, I was told at the two-year check that my son's speech was 'a bit behind' and "
                            "to wait and see. A clear next step would have helped."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "Early language is one of our main areas of focus. We are comparing language programmes in "
                            "several areas and would welcome data on waiting times from referral to support."
                        ),
                        "replies": [
                            {"author": 1, "body": "Our current wait from referral to first session is around 14 weeks. We will share the figures."},
                        ],
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------
    # 5. NHS
    # ------------------------------------------------------------------
    {
        "slug": "nhs",
        "title": "Build an NHS fit for the future",
        "goal": "Cut waiting times, move more care from hospitals into the community, and shift the NHS from treating sickness to preventing it.",
        "what_we_know": (
            "<p>We know that waiting lists grew sharply during and after the pandemic, and that too many patients "
            "wait too long in A&amp;E and for planned treatment. We also know that <strong>a large share of hospital "
            "demand could be met earlier and closer to home</strong>, in general practice, community services and "
            "pharmacies.</p>"
            "<p>We are less sure which changes to outpatient care reduce waits safely, how much A&amp;E demand could be "
            "met elsewhere, and what patients and carers want while they wait. The ideas and experience of patients "
            "and carers are essential to answering these questions.</p>"
        ),
        "owner_name": "Dr Ruth Calloway",
        "owner_role": "Senior Responsible Owner; Director General, NHS Performance and Reform",
        "team": [
            {"name": "James Ekwueme", "role": "Head of Elective Recovery"},
            {"name": "Laura Pennington", "role": "Urgent and Emergency Care Policy Lead"},
            {"name": "Dr Mei Lin Chau", "role": "Clinical Adviser"},
            {"name": "Gareth Probert", "role": "Patient and Public Involvement Lead"},
        ],
        "learning_questions": [
            {
                "question": "Which changes to outpatient care most reduce waiting times without adding clinical risk?",
                "status": "answered",
                "answer": (
                    "Patient-initiated follow-up and specialist advice before referral have the strongest evidence: "
                    "trusts using both at scale cut follow-up appointments by 8 to 12% with no rise in emergency readmissions."
                ),
            },
            {
                "question": "What would make patients more willing to use the NHS App to manage appointments and prescriptions?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "How much A&E demand could be met by urgent community response and same-day primary care?",
                "status": "exploring",
                "answer": "",
            },
            {
                "question": "Why do people with long-term conditions miss routine checks, and which reminders work?",
                "status": "open",
                "answer": "",
            },
            {
                "question": "What information do patients want about waiting times for their own treatment?",
                "status": "open",
                "answer": "",
            },
        ],
        "metrics": [
            {
                "name": "Patients waiting less than 18 weeks from referral to treatment",
                "unit": "%",
                "direction": "up",
                "baseline": "62.40",
                "baseline_date": "2022-03-31",
                "target": "92.00",
                "target_date": "2029-03-31",
                "points": [
                    {"date": "2022-03-31", "value": "62.40", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "The 92% standard was last met in 2016. Waiting lists grew quickly as services restarted after the pandemic."},
                    {"date": "2023-03-31", "value": "58.60", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "Performance fell further. Industrial action led to the postponement of many planned appointments."},
                    {"date": "2024-03-31", "value": "57.20", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "The lowest point. Activity increased, but referrals grew faster."},
                    {"date": "2025-03-31", "value": "59.80", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "The first sustained improvement, helped by more use of community diagnostic centres and changes to outpatient follow-up."},
                    {"date": "2026-03-31", "value": "62.10", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "Improving, but below the interim milestone of 65% for March 2026. Reaching 92% by 2029 will require faster progress than we have seen so far."},
                ],
            },
            {
                "name": "A&E patients admitted, transferred or discharged within 4 hours",
                "unit": "%",
                "direction": "up",
                "baseline": "71.60",
                "baseline_date": "2022-03-31",
                "target": "82.00",
                "target_date": "2027-03-31",
                "points": [
                    {"date": "2022-03-31", "value": "71.60", "source": "NHS England A&E attendances and emergency admissions",
                     "commentary": "Well below the 95% standard. Long waits to be admitted to a bed are the main cause."},
                    {"date": "2023-03-31", "value": "71.50", "source": "NHS England A&E attendances and emergency admissions",
                     "commentary": "A very difficult winter, with high levels of flu and COVID-19 and delays discharging patients who were well enough to leave."},
                    {"date": "2024-03-31", "value": "74.20", "source": "NHS England A&E attendances and emergency admissions",
                     "commentary": "Improvement, partly from more same-day emergency care. Waits of over 12 hours from arrival are still too common."},
                    {"date": "2025-03-31", "value": "75.00", "source": "NHS England A&E attendances and emergency admissions",
                     "commentary": "Met the interim 75% milestone for March, but performance across the year was lower. We report the annual average to the mission board."},
                    {"date": "2026-03-31", "value": "76.40", "source": "NHS England A&E attendances and emergency admissions",
                     "commentary": "Steady progress. Urgent community response teams are now in every area, and we are measuring how many A&E attendances they avoid."},
                ],
            },
            {
                "name": "Total waiting list for planned hospital treatment, England",
                "unit": "million pathways",
                "direction": "down",
                "baseline": "6.20",
                "baseline_date": "2022-03-31",
                "target": "5.00",
                "target_date": "2029-03-31",
                "points": [
                    {"date": "2022-03-31", "value": "6.20", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "One person may be on the list for more than one treatment, so the number of people waiting is lower, at around 5 million."},
                    {"date": "2023-03-31", "value": "7.40", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "The list kept growing as referrals returned to pre-pandemic levels and above."},
                    {"date": "2024-03-31", "value": "7.54", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "Close to the peak. About 300,000 patients had been waiting more than a year."},
                    {"date": "2025-03-31", "value": "7.42", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "A small fall. Validation of the list removed some patients who no longer needed treatment."},
                    {"date": "2026-03-31", "value": "7.21", "source": "NHS England referral to treatment waiting times statistics",
                     "commentary": "Continuing to fall slowly. Advice and guidance before referral is reducing the number of new patients added to the list."},
                ],
            },
            {
                "name": "Mean ambulance response time for category 2 calls",
                "unit": "minutes",
                "direction": "down",
                "baseline": "51.22",
                "baseline_date": "2022-03-31",
                "target": "18.00",
                "target_date": "2030-03-31",
                "points": [
                    {"date": "2022-03-31", "value": "51.22", "source": "NHS England ambulance quality indicators",
                     "commentary": "Category 2 covers emergencies such as strokes and heart attacks. The 18-minute standard has not been met since 2020."},
                    {"date": "2023-03-31", "value": "47.38", "source": "NHS England ambulance quality indicators",
                     "commentary": "A slight improvement on the year, despite a December in which average response times exceeded 90 minutes."},
                    {"date": "2024-03-31", "value": "36.20", "source": "NHS England ambulance quality indicators",
                     "commentary": "A large improvement, mainly from shorter handover delays at hospitals and more calls being dealt with over the phone."},
                    {"date": "2025-03-31", "value": "31.45", "source": "NHS England ambulance quality indicators",
                     "commentary": "Further improvement. Handover delays remain the biggest cause of slow responses, especially in winter."},
                    {"date": "2026-03-31", "value": "32.10", "source": "NHS England ambulance quality indicators",
                     "commentary": "A small worsening, after a harsh flu season. We are still well short of the 30-minute interim aim for this winter."},
                ],
            },
            {
                "name": "Patients describing their overall experience of their GP practice as good",
                "unit": "%",
                "direction": "up",
                "baseline": "72.40",
                "baseline_date": "2022-07-31",
                "target": "80.00",
                "target_date": "2029-07-31",
                "points": [
                    {"date": "2022-07-31", "value": "72.40", "source": "GP Patient Survey (NHS England)",
                     "commentary": "A large fall from 83% in 2021. Difficulty getting through by phone was the most common complaint."},
                    {"date": "2023-07-31", "value": "71.30", "source": "GP Patient Survey (NHS England)",
                     "commentary": "A further small fall, even though practices delivered more appointments than before the pandemic."},
                    {"date": "2024-07-31", "value": "74.00", "source": "GP Patient Survey (NHS England)",
                     "commentary": "The questionnaire changed this year, so this figure is not directly comparable with earlier years."},
                    {"date": "2025-07-31", "value": "75.40", "source": "GP Patient Survey (NHS England)",
                     "commentary": "An improvement, particularly in how easy it is to contact the practice. Satisfaction is still lower among younger patients and carers."},
                ],
            },
        ],
        "pathway_versions": [
            {
                "version": "v1",
                "date": "2024-11-01",
                "summary": (
                    "<p>Our first pathway focused on <strong>cutting waiting lists</strong> through extra evening and "
                    "weekend appointments, more community diagnostic centres and using spare capacity in the "
                    "independent sector.</p>"
                ),
                "changes": "",
            },
            {
                "version": "v2",
                "date": "2025-07-03",
                "summary": (
                    "<p>We set out three shifts: <strong>from hospital to community</strong>, <strong>from analogue to "
                    "digital</strong>, and <strong>from sickness to prevention</strong>, with outpatient reform and the "
                    "NHS App at the centre of the elective plan.</p>"
                ),
                "changes": (
                    "Extra activity alone was not enough to reduce waits, because referrals kept rising. Evidence from "
                    "trusts that changed how outpatient follow-up works showed larger and more lasting gains, so we "
                    "moved it to the centre of the plan."
                ),
            },
            {
                "version": "v3",
                "date": "2026-04-14",
                "summary": (
                    "<p>We added commitments on <strong>information for people who are waiting</strong>, and on support "
                    "to help them stay well before treatment, following what patients and carers told us.</p>"
                ),
                "changes": (
                    "Patient feedback showed that uncertainty about how long they would wait was one of the main causes "
                    "of distress and of repeat contacts with GPs. We now plan to give every patient an estimated wait "
                    "through the NHS App."
                ),
            },
        ],
        "call": {
            "slug": "better-while-you-wait",
            "title": "Ideas from patients and carers to make waiting for treatment better",
            "brief": (
                "<p>Around six million people in England are waiting for planned hospital treatment. We are working to "
                "bring waits down, but we also want to make waiting itself better. We want to hear from "
                "<strong>patients, carers and family members</strong> about what would help.</p>"
                "<p>Your idea might be about information, staying well while you wait, getting an earlier appointment, "
                "or how the NHS keeps in touch with you. Please do not include personal medical details that could "
                "identify you or anyone else.</p>"
                "<p>For each idea, tell us whether you agree, disagree or are unsure. This helps us understand how "
                "widely views are shared, not only which ideas are popular. We will publish a summary of the results "
                "and what we plan to do next.</p>"
            ),
            "eligibility": "citizens",
            "sectors": [],
            "moderation_mode": "post",
            "voting_mode": "agree",
            "support_limit": None,
            "authors_can_vote": False,
            "comments_open": True,
        },
        "ideas": [
            {
                "title": "Send me a realistic estimate of my waiting time, updated every month",
                "summary": (
                    "Not knowing how long you will wait is often worse than the wait itself. A monthly message with an "
                    "estimated date range for treatment, based on the actual list at my hospital, would let people plan "
                    "their lives and work."
                ),
                "body": (
                    "I waited 14 months for a hip replacement. In that time I had no idea whether my operation would be "
                    "next month or next year, so I could not plan time off work or arrange care for my mother.\n\n"
                    "A monthly text or NHS App message could give:\n\n"
                    "- an **estimated date range** based on the current list at my hospital\n"
                    "- my position relative to others with similar clinical priority\n"
                    "- a contact if my condition gets worse\n\n"
                    "Even a rough estimate would be better than silence."
                ),
                "tags": ["waiting times", "information", "nhs app"],
                "organisation": "",
                "sector": "",
                "questions": [1, 4],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Agree, but estimates must be honest. If the date keeps slipping, trust will fall quickly. "
                            "It would be better to give a wide range that turns out right."
                        ),
                        "replies": [
                            {"author": 0, "body": "Yes, a range with an explanation when it changes would be fine."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "Thank you. Estimated waits through the NHS App are now part of our pathway. Would you want "
                            "to see your position in the queue, or would a date range be enough?"
                        ),
                        "replies": [
                            {"author": 0, "body": "A date range is enough. A queue position could be upsetting if it goes backwards because of urgent cases."},
                        ],
                    },
                ],
            },
            {
                "title": "Let patients on the waiting list offer to take short-notice cancellations",
                "summary": (
                    "Operating theatre time is sometimes lost when a patient cancels at short notice. Patients who can "
                    "attend at a day's notice could opt in through the NHS App, so that cancelled slots are filled and "
                    "waits reduced."
                ),
                "body": (
                    "I am retired and could attend a hospital appointment at a day's notice. I know others on the list "
                    "who would also take a cancelled slot if asked.\n\n"
                    "Patients could **opt in** through the NHS App to a short-notice list, stating how much notice they "
                    "need and which hospitals they could travel to. Pre-operative checks would need to be up to date.\n\n"
                    "Some hospitals already ring people from a list, but it depends on individual staff and is not "
                    "available everywhere."
                ),
                "tags": ["cancellations", "theatre time", "nhs app"],
                "organisation": "",
                "sector": "",
                "questions": [0, 1],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Good idea, but it would favour people who are retired or have flexible jobs. The NHS should "
                            "make sure it does not widen inequalities in who gets seen first."
                        ),
                        "replies": [
                            {"author": 1, "body": "A fair point. Perhaps short-notice slots should only go to people of the same clinical priority who have waited longest."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "Several trusts are testing this. Early findings suggest pre-operative checks are the main "
                            "barrier, because they expire after a few months. We are looking at how to keep them current."
                        ),
                    },
                ],
            },
            {
                "title": "One phone number and email per hospital for questions while you are waiting",
                "summary": (
                    "People waiting for treatment often phone their GP because they cannot find anyone at the hospital "
                    "to ask. A single, staffed contact point for each hospital would answer questions, update records and "
                    "free up GP time."
                ),
                "body": (
                    "When my husband was waiting for cardiology, we spent hours being transferred between departments "
                    "and leaving messages for secretaries. In the end we went back to our GP, who could not help either.\n\n"
                    "Each hospital should have **one contact point for people on the waiting list**, with staff who can "
                    "see the list, answer questions and pass on concerns to the clinical team.\n\n"
                    "This would be cheaper than the time GPs and hospital secretaries spend on these calls now."
                ),
                "tags": ["contact", "waiting list", "carers"],
                "organisation": "",
                "sector": "",
                "questions": [4],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Yes. It needs to be a phone number as well as email or the App. Many older patients will "
                            "not use digital channels."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "We have heard this from many patients. Some hospitals have set up waiting list support "
                            "teams, and we are looking at whether they reduce calls to GPs."
                        ),
                    },
                ],
            },
            {
                "title": "Offer health checks in community pharmacies to people with long-term conditions",
                "summary": (
                    "Many people with long-term conditions miss routine checks because GP appointments are hard to get. "
                    "Local pharmacies could offer blood pressure checks and medication reviews in the evening and at "
                    "weekends, with results sent to the GP."
                ),
                "body": (
                    "I have type 2 diabetes and high blood pressure. My annual review is often delayed because the "
                    "practice nurse has no appointments, and I cannot easily take time off work.\n\n"
                    "My local pharmacy is open until 9pm and at weekends. If it could do my **blood pressure, weight and "
                    "medication review**, and send the results to my practice, I would never miss a check.\n\n"
                    "Reminders by text would help too, especially if they let me book straight away."
                ),
                "tags": ["pharmacy", "long-term conditions", "prevention"],
                "organisation": "",
                "sector": "",
                "questions": [3],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "I would use this. The only concern is whether results really get back to the GP. My "
                            "pharmacy blood pressure reading never appeared in my record."
                        ),
                        "replies": [
                            {"author": 1, "body": "That is the key thing. It only works if the results go straight into the GP record."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "Pharmacy blood pressure checks are already available in many places. We are trying to "
                            "understand why people miss routine checks, so it is useful to hear that timing and "
                            "booking are the main barriers for you."
                        ),
                    },
                    {
                        "author": 0,
                        "body": "Reminders would need to be in plain English and other languages. Many people in my area do not read English well.",
                    },
                ],
            },
            {
                "title": "Show carers on the NHS App so they can manage appointments for the person they care for",
                "summary": (
                    "Carers often manage appointments and prescriptions for someone else, but cannot easily do this "
                    "through the NHS App. Clear, consented proxy access would save time and reduce missed appointments."
                ),
                "body": (
                    "I care for my father, who has dementia. I manage all his appointments and prescriptions, but I have "
                    "to do it by phone because setting up proxy access on the App required several visits to his GP "
                    "practice.\n\n"
                    "It should be simple to:\n\n"
                    "- record a carer with the patient's consent, or with a lasting power of attorney\n"
                    "- let the carer see appointments, letters and prescriptions\n"
                    "- send reminders to the carer as well as the patient\n\n"
                    "There are around five million unpaid carers in the UK. **Making the App work for them** would make "
                    "it far more useful."
                ),
                "tags": ["carers", "nhs app", "digital access"],
                "organisation": "",
                "sector": "",
                "questions": [1],
                "author": 0,
                "comments": [
                    {
                        "author": 1,
                        "body": (
                            "Strongly agree. I gave up on proxy access for my mother after the practice said it could "
                            "take eight weeks."
                        ),
                    },
                    {
                        "author": "team",
                        "body": (
                            "Proxy access is one of the most common issues raised in our research on the NHS App. Could "
                            "you tell us which step took longest: the forms, identity checks, or the practice approving it?"
                        ),
                        "replies": [
                            {"author": 0, "body": "The practice approving it. The forms were fine, but it sat with them for weeks and I had to keep chasing."},
                        ],
                    },
                ],
            },
            {
                "title": "Support to get fitter before surgery while you are on the waiting list",
                "summary": (
                    "Waiting time could be used to prepare for surgery. Offering exercise, stop-smoking and nutrition "
                    "support to people on surgical waiting lists could improve recovery, shorten hospital stays and "
                    "help people feel less forgotten."
                ),
                "body": (
                    "Before my knee operation, I was offered a six-week exercise class at the local leisure centre. I "
                    "felt stronger, recovered faster than I expected and went home a day early.\n\n"
                    "Most people on the list are not offered anything like this. Support could include:\n\n"
                    "- exercise classes suited to the condition\n"
                    "- help to stop smoking\n"
                    "- advice on diet and managing pain\n\n"
                    "It would also give people a reason to **stay in contact** with the service while they wait."
                ),
                "tags": ["prehabilitation", "surgery", "prevention"],
                "organisation": "",
                "sector": "",
                "questions": [0, 3],
                "author": 1,
                "comments": [
                    {
                        "author": 0,
                        "body": (
                            "Good for some people, but those in a lot of pain may not be able to exercise. It would need "
                            "to be tailored to the individual."
                        ),
                        "replies": [
                            {"author": 1, "body": "Agreed. Mine was run by a physiotherapist who adapted the exercises for each person."},
                        ],
                    },
                    {
                        "author": "team",
                        "body": (
                            "There is good evidence that preparing for surgery improves recovery for some operations. "
                            "We are looking at how to offer it more widely, and your experience is helpful."
                        ),
                    },
                ],
            },
        ],
    },
]
