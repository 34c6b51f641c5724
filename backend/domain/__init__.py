"""The kernel: what a job is, when it runs and the words for it, with no I/O and no
import of the rest of the project (every other package may import it).

    spec       the job spec (pydantic), the only gate into the jobs table
    cron       cron checks with a suggested fix for recognisable mistakes
    schedule   pure next-run maths (tests call it without a clock)
    vocab      workflow kinds, priorities, roles, run states
"""
