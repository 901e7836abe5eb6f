"""The demo series: PriSec-ML as its October 2021 home page described it (corpus seed).

Real content from `shared/corpus/prisec-ml/seed-homepage-2021-10.md`, with the seed's
mojibake and a misspelt name put right, plus the 2021 archive with its recordings.
"""

SERIES = {
    "slug": "prisec-ml",
    "name": "Privacy & Security in Machine Learning Seminars",
    "short_name": "PriSec-ML",
    "time_zone": "Europe/London",
    "slot_text": "Roughly every two weeks, tentatively Wednesdays 1pm London time",
    "default_weekday": 2,
    "default_start_time": "13:00",
    "default_duration": 60,
    "description": (
        "This is the homepage of the **Privacy & Security in Machine Learning (PriSec-ML) "
        "Interest Group**. It brings together researchers and practitioners around the world "
        "broadly interested in this topic. For the time being, it features recurring "
        "seminars, roughly every two weeks, tentatively Wednesdays 1pm (London Time)."
    ),
    "earlier_iterations": (
        "This is a reboot of the [Turing Institute](https://www.turing.ac.uk)'s interest group "
        "in Privacy and Machine Learning ([old page](https://www.turing.ac.uk/research/"
        "interest-groups/privacy-preserving-data-analysis)). We have branched out and expanded "
        "to topics at the intersection of Security (not “just” Privacy) and Machine Learning."
    ),
}

LINKS = [
    (
        "Subscribe to the mailing list for seminar and job announcements",
        "https://www.jiscmail.ac.uk/cgi-bin/webadmin?SUBED1=PRISEC-ML&A=1",
    ),
    (
        "Subscribe to our YouTube channel (live streams and recordings)",
        "https://youtube.com/@prisec-ml",
    ),
]

ORGANIZERS = [
    ("Prof. Emiliano De Cristofaro", "UCL", "https://emilianodc.com/"),
    ("Dr. Giovanni Cherubin", "Alan Turing Institute", "https://giocher.com/"),
    ("Prof. Lorenzo Cavallaro", "UCL", "https://s2lab.cs.ucl.ac.uk/people/sullivan"),
    ("Dr. Vasilis Mavroudis", "Alan Turing Institute", "https://mavroud.is/"),
]

# The seed's two upcoming talks; the demo moves them to the series' next usual slots.
UPCOMING = [
    {
        "local_time": "13:00",
        "speaker": {
            "honorific": "Prof.",
            "name": "Konrad Rieck",
            "affiliation": "Technische Universität Braunschweig",
            "homepage": "https://www.tu-braunschweig.de/en/sec/team/rieck",
            "bio": "[https://www.tu-braunschweig.de/en/sec/team/rieck]"
            "(https://www.tu-braunschweig.de/en/sec/team/rieck)",
        },
        "title": "Adversarial Preprocessing: Image-Scaling Attacks in Machine Learning",
        "abstract": (
            "The remarkable advances of machine learning are overshadowed by attacks that "
            "thwart its proper operation. While previous work has mainly focused on attacking "
            "learning algorithms directly, another weak spot in intelligent systems has been "
            "overlooked: preprocessing. As an example of this threat, I present a recent class "
            "of attacks against image scaling. These attacks are agnostic to learning "
            "algorithms and affect the preprocessing of all vision systems that use vulnerable "
            "implementations, including versions of TensorFlow, OpenCV, and Pillow. Based on a "
            "root-cause analysis of the vulnerabilities, I introduce novel defenses that "
            "effectively block image-scaling attacks in practice and can be easily added to "
            "existing systems."
        ),
        "registration_url": "https://ucl.zoom.us/meeting/register/tJEoc-itqzwoE9wIgC6gpR5WAMIWlt0dgFeB",
        "livestream_url": "https://youtu.be/kCKayHjZd3E",
    },
    {
        "local_time": "13:30",
        "speaker": {
            "honorific": "Prof.",
            "name": "Reza Shokri",
            "affiliation": "National University of Singapore",
            "homepage": "https://www.comp.nus.edu.sg/~reza/",
            "bio": "[https://www.comp.nus.edu.sg/~reza/](https://www.comp.nus.edu.sg/~reza/)",
        },
        "title": "Privacy Auditing in Machine Learning",
        "abstract": "",
        "registration_url": "https://ucl.zoom.us/meeting/register/tJYpduCoqDIsHNdg26Sb1Bc8s2GZkKF-mir1",
        "livestream_url": "https://youtu.be/Ud7-sSJTG2k",
    },
]

# (date, speaker, affiliation, title, recording) from the series' 2021 archive.
PAST = [
    (
        "2021-01-27",
        "Vitaly Shmatikov",
        "Cornell Tech",
        "How to Salvage Federated Learning",
        "https://www.youtube.com/watch?v=Tx2T3LojHIQ",
    ),
    (
        "2021-01-27",
        "Graham Cormode",
        "Warwick University",
        "Towards Federated Analytics with Local Differential Privacy",
        "https://www.youtube.com/watch?v=cCEgFNtWG5E",
    ),
    (
        "2021-02-10",
        "Nicolas Papernot",
        "University of Toronto",
        "What does it mean for ML to be trustworthy?",
        "https://www.youtube.com/watch?v=26uls-FLAfA",
    ),
    (
        "2021-02-24",
        "Bristena Oprisanu",
        "UCL & Bitfount",
        "Synthetic Data – A Privacy Mirage?",
        "https://www.youtube.com/watch?v=nR3Hfh4-HPI",
    ),
    (
        "2021-03-10",
        "Alina Oprea",
        "Northeastern University",
        "Machine Learning Integrity and Privacy in Adversarial Environments",
        "https://www.youtube.com/watch?v=ihp2NMIuJD4",
    ),
    (
        "2021-03-24",
        "James Bell",
        "Alan Turing Institute",
        "Secure Single-Server Aggregation with (Poly)Logarithmic Overhead",
        "https://www.youtube.com/watch?v=_NzClquIipo",
    ),
    (
        "2021-04-07",
        "Yang Zhang",
        "CISPA",
        "Quantifying Privacy Risks of Machine Learning Models",
        "https://www.youtube.com/watch?v=ZdO3oetacME",
    ),
    (
        "2021-04-21",
        "Jacob Steinhardt",
        "UC Berkeley",
        "The Science of Measurement in Machine Learning",
        "https://www.youtube.com/watch?v=DqT9S2gl8iU",
    ),
    (
        "2021-05-05",
        "Nicholas Carlini",
        "Google Brain",
        "Extracting Training Data from Large Language Models",
        "https://www.youtube.com/watch?v=RDpHBLJKaNU",
    ),
    (
        "2021-05-19",
        "Jamie Hayes",
        "DeepMind",
        "Towards Transformation-Resilient Provenance Detection",
        "https://www.youtube.com/watch?v=MAlpel4M2GY",
    ),
    (
        "2021-06-02",
        "Fatemeh Mireshghallah",
        "UC San Diego",
        "Low Overhead Techniques for Privacy and Fairness of DNN Training and Inference",
        "https://www.youtube.com/watch?v=JwoJpJoNGrg",
    ),
    (
        "2021-06-16",
        "Catuscia Palamidessi",
        "INRIA",
        "On the impossibility of non-trivial accuracy under fairness constraints",
        "https://www.youtube.com/watch?v=FT4ywrYHx6g",
    ),
    (
        "2021-07-14",
        "Luca Demetrio",
        "University of Cagliari",
        "Adversarial EXEmples: Functionality-preserving Optimization",
        "https://www.youtube.com/watch?v=CTzNID5iLcw",
    ),
    (
        "2021-07-28",
        "Kunal Talwar",
        "Apple",
        "Private Stochastic Convex Optimization",
        "https://www.youtube.com/watch?v=gYHj_L9kKWk",
    ),
    (
        "2021-08-11",
        "Natasha Fernandes",
        "UNSW",
        "Quantitative Information Flow Refinement Orders and Application to DP",
        "https://www.youtube.com/watch?v=hdcg1_Fyexw",
    ),
]
