"""`kalkan demo`: the whole product on fictional people and a fictional, live feed."""
